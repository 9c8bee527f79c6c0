import { type DynamicModule, Module } from '@nestjs/common';
import { MessagingModule } from '@stepwise/messaging';
import { PlatformModule } from '@stepwise/platform';
import { SecurityModule } from '@stepwise/security';
import { type SchedulingConfig } from './config/scheduling.config';
import { schedulingDatabase } from './scheduling.service';

/** Root module of the scheduling service: reference data (sites, program tracks, staff), group series, enrollments, waitlists and appointments. */
@Module({})
export class SchedulingModule {
  static register(config: SchedulingConfig): DynamicModule {
    return {
      module: SchedulingModule,
      imports: [
        PlatformModule.forService({ service: 'scheduling', config, database: schedulingDatabase }),
        SecurityModule.forService(),
        MessagingModule.forService({ schema: schedulingDatabase.schema }),
      ],
    };
  }
}
