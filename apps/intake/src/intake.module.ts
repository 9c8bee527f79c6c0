import { type DynamicModule, Module } from '@nestjs/common';
import { MessagingModule } from '@stepwise/messaging';
import { Clock, PlatformModule, SystemClock } from '@stepwise/platform';
import { SecurityModule } from '@stepwise/security';
import { AssessmentsController } from './assessments/assessments.controller';
import { AssessmentsService } from './assessments/assessments.service';
import { ClientsController } from './clients/clients.controller';
import { ClientsService } from './clients/clients.service';
import { ConsentsController } from './consents/consents.controller';
import { ConsentsService } from './consents/consents.service';
import { InternalController } from './consents/internal.controller';
import { type IntakeConfig } from './config/intake.config';
import { EpisodesController } from './episodes/episodes.controller';
import { ReferenceDataEvents } from './events/reference-data-events.controller';
import { SessionsEvents } from './events/sessions-events.controller';
import { EpisodesService } from './episodes/episodes.service';
import { ProgramGauges } from './episodes/program-gauges';
import { PlanCipher } from './plans/plan-cipher';
import { intakeDatabase } from './intake.database';
import { PlansController } from './plans/plans.controller';
import { PlansService } from './plans/plans.service';
import { ProjectedSiteDirectory, ReferenceProjection } from './reference/reference-projection';
import { ReferralsController } from './referrals/referrals.controller';
import { ReferralsService } from './referrals/referrals.service';
import { ReviewsController } from './reviews/reviews.controller';
import { ReviewsService } from './reviews/reviews.service';
import { ScreeningsController } from './screenings/screenings.controller';
import { ScreeningsService } from './screenings/screenings.service';
import { ScopedRecords } from './shared/scoped-records';

/** The intake features: controllers and use cases on top of the platform, security and messaging. */
@Module({
  controllers: [
    ReferralsController,
    ClientsController,
    EpisodesController,
    ScreeningsController,
    AssessmentsController,
    ReviewsController,
    ConsentsController,
    InternalController,
    PlansController,
    ReferenceDataEvents,
    SessionsEvents,
  ],
  providers: [
    { provide: Clock, useClass: SystemClock },
    ScopedRecords,
    ReferenceProjection,
    ReferralsService,
    ClientsService,
    EpisodesService,
    ProgramGauges,
    ScreeningsService,
    AssessmentsService,
    ReviewsService,
    ConsentsService,
    PlansService,
    PlanCipher,
  ],
})
class IntakeFeaturesModule {}

/** Root module of the intake service: referrals, clients, screenings, ASAM assessments, episodes of care, treatment plans and consents. */
@Module({})
export class IntakeModule {
  static register(config: IntakeConfig): DynamicModule {
    return {
      module: IntakeModule,
      imports: [
        PlatformModule.forService({ service: 'intake', config, database: intakeDatabase }),
        SecurityModule.forService({ siteDirectory: ProjectedSiteDirectory }),
        MessagingModule.forService({ schema: intakeDatabase.schema }),
        IntakeFeaturesModule,
      ],
    };
  }
}
