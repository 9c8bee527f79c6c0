import { type DynamicModule, Module } from '@nestjs/common';
import { MessagingModule } from '@stepwise/messaging';
import { Clock, PlatformModule, SystemClock } from '@stepwise/platform';
import { SecurityModule } from '@stepwise/security';
import { AssessmentsController } from './assessments/assessments.controller';
import { AssessClient } from './assessments/assess-client';
import { AssessmentsRepository } from './assessments/assessments.repository';
import { ListAssessments } from './assessments/list-assessments';
import { ListRuleSets } from './assessments/list-rule-sets';
import { LoadRuleSet } from './assessments/load-rule-set';
import { ReadAssessment } from './assessments/read-assessment';
import { CensusController } from './census/census.controller';
import { ReadCensus } from './census/read-census';
import { ClientsController } from './clients/clients.controller';
import { ClientsRepository } from './clients/clients.repository';
import { FindClientContact } from './clients/find-client-contact';
import { ReadClient } from './clients/read-client';
import { RegisterClient } from './clients/register-client';
import { SearchClients } from './clients/search-clients';
import { UpdateClient } from './clients/update-client';
import { ConsentsController } from './consents/consents.controller';
import { CheckDisclosure } from './consents/check-disclosure';
import { ConsentsRepository } from './consents/consents.repository';
import { FindFamilyContact } from './consents/find-family-contact';
import { GrantConsent } from './consents/grant-consent';
import {
  EmergencyAccessSettings,
  emergencyAccessSettings,
} from './emergency-access/emergency-access-settings';
import { EmergencyAccessController } from './emergency-access/emergency-access.controller';
import { GrantEmergencyAccess } from './emergency-access/grant-emergency-access';
import { MinorConsentPolicy, minorConsentPolicy } from './consents/minor-consent';
import { ListConsents } from './consents/list-consents';
import { ReadConsent } from './consents/read-consent';
import { RevokeConsent } from './consents/revoke-consent';
import { InternalController } from './consents/internal.controller';
import { IntakeConfig } from './config/intake.config';
import { DiagnosesController } from './diagnoses/diagnoses.controller';
import { DiagnosesRepository } from './diagnoses/diagnoses.repository';
import { ReadDiagnoses } from './diagnoses/read-diagnoses';
import { RecordDiagnoses } from './diagnoses/record-diagnoses';
import { FhirController } from './fhir/fhir.controller';
import { DiscloseServedResources } from './fhir/disclose-served-resources';
import { ServedDisclosuresController } from './fhir/served-disclosures.controller';
import { FhirDisclosure } from './fhir/fhir-disclosure';
import { FhirResources } from './fhir/fhir-resources';
import { EpisodesController } from './episodes/episodes.controller';
import { AdmitClient } from './episodes/admit-client';
import { AuthorizeLevel } from './episodes/authorize-level';
import { ChangeCareSetting } from './episodes/change-care-setting';
import { ChangeClinicalLevel } from './episodes/change-clinical-level';
import { DischargeEpisode } from './episodes/discharge-episode';
import { EpisodesRepository } from './episodes/episodes.repository';
import { ReadEpisode } from './episodes/read-episode';
import { ReferenceDataEvents } from './events/reference-data-events.controller';
import { SessionsEvents } from './events/sessions-events.controller';
import { ProgramCounters } from './episodes/program-counters';
import { ProgramGauges } from './episodes/program-gauges';
import { PlanCipher } from './plans/plan-cipher';
import { intakeDatabase } from './intake.database';
import { PlansController } from './plans/plans.controller';
import { DraftPlan } from './plans/draft-plan';
import { ListPlans } from './plans/list-plans';
import { PlansRepository } from './plans/plans.repository';
import { ReadPlan } from './plans/read-plan';
import { ReviewPlan } from './plans/review-plan';
import { PlanChanges } from './plans/plan-changes';
import { SignPlan } from './plans/sign-plan';
import { ProjectedSiteDirectory, ReferenceProjection } from './reference/reference-projection';
import { ReferralsController } from './referrals/referrals.controller';
import { ReferralsRepository } from './referrals/referrals.repository';
import { ListReferrals } from './referrals/list-referrals';
import { MoveReferral } from './referrals/move-referral';
import { ReadReferral } from './referrals/read-referral';
import { ReceiveReferral } from './referrals/receive-referral';
import { ReviewsController } from './reviews/reviews.controller';
import { ApproveReview } from './reviews/approve-review';
import { DeclineReview } from './reviews/decline-review';
import { ListReviews } from './reviews/list-reviews';
import { ReadReview } from './reviews/read-review';
import { ReviewsRepository } from './reviews/reviews.repository';
import { OpenReview } from './reviews/open-review';
import { ScreeningsController } from './screenings/screenings.controller';
import { ListScreenings } from './screenings/list-screenings';
import { ReadScreening } from './screenings/read-screening';
import { ScreeningsRepository } from './screenings/screenings.repository';
import { SubmitScreening } from './screenings/submit-screening';

/** The intake features: controllers and use cases on top of the platform, security and messaging. */
@Module({
  controllers: [
    ReferralsController,
    ClientsController,
    CensusController,
    EpisodesController,
    DiagnosesController,
    ScreeningsController,
    AssessmentsController,
    ReviewsController,
    ConsentsController,
    InternalController,
    EmergencyAccessController,
    FhirController,
    ServedDisclosuresController,
    PlansController,
    ReferenceDataEvents,
    SessionsEvents,
  ],
  providers: [
    { provide: Clock, useClass: SystemClock },
    ReferenceProjection,
    FhirDisclosure,
    FhirResources,
    DiscloseServedResources,
    ReferralsRepository,
    ReceiveReferral,
    ListReferrals,
    ReadReferral,
    MoveReferral,
    ClientsRepository,
    RegisterClient,
    ReadClient,
    UpdateClient,
    SearchClients,
    ReadCensus,
    FindClientContact,
    EpisodesRepository,
    AdmitClient,
    ReadEpisode,
    AuthorizeLevel,
    DischargeEpisode,
    ChangeClinicalLevel,
    ChangeCareSetting,
    DiagnosesRepository,
    RecordDiagnoses,
    ReadDiagnoses,
    ProgramGauges,
    ProgramCounters,
    ScreeningsRepository,
    SubmitScreening,
    ReadScreening,
    ListScreenings,
    AssessmentsRepository,
    AssessClient,
    ReadAssessment,
    ListAssessments,
    ListRuleSets,
    LoadRuleSet,
    OpenReview,
    ReviewsRepository,
    ApproveReview,
    DeclineReview,
    ReadReview,
    ListReviews,
    ConsentsRepository,
    GrantConsent,
    GrantEmergencyAccess,
    { provide: EmergencyAccessSettings, inject: [IntakeConfig], useFactory: emergencyAccessSettings },
    { provide: MinorConsentPolicy, inject: [IntakeConfig], useFactory: minorConsentPolicy },
    ListConsents,
    ReadConsent,
    RevokeConsent,
    CheckDisclosure,
    FindFamilyContact,
    PlansRepository,
    DraftPlan,
    PlanChanges,
    SignPlan,
    ReviewPlan,
    ReadPlan,
    ListPlans,
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
