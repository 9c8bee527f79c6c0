import { type DynamicModule, Module } from '@nestjs/common';
import { MessagingModule } from '@stepwise/messaging';
import { PlatformModule } from '@stepwise/platform';
import { SecurityModule } from '@stepwise/security';
import { type IntakeConfig } from './config/intake.config';
import { intakeDatabase } from './intake.service';

/** Root module of the intake service: referrals, clients, screenings, ASAM assessments, episodes of care, treatment plans and consents. */
@Module({})
export class IntakeModule {
  static register(config: IntakeConfig): DynamicModule {
    return {
      module: IntakeModule,
      imports: [
        PlatformModule.forService({ service: 'intake', config, database: intakeDatabase }),
        SecurityModule.forService(),
        MessagingModule.forService({ schema: intakeDatabase.schema }),
      ],
    };
  }
}
