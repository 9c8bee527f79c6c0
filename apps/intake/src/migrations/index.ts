import { messagingMigrations } from '@stepwise/messaging';
import { securityMigrations } from '@stepwise/security';
import { INTAKE_SCHEMA } from '../intake.schema';
import { CreateCareRecords1764000000000 } from './1764000000000-create-care-records';
import { CreateScreenings1764000100000 } from './1764000100000-create-screenings';
import { CreateAssessments1764000200000 } from './1764000200000-create-assessments';
import { CreateReviews1764000300000 } from './1764000300000-create-reviews';
import { CreateConsents1764000400000 } from './1764000400000-create-consents';
import { CreateTreatmentPlans1764000500000 } from './1764000500000-create-treatment-plans';
import { ConsentRecipientContacts1764000600000 } from './1764000600000-consent-recipient-contacts';
import { LengthOfStayReviews1764400000000 } from './1764400000000-length-of-stay-reviews';
import { EncryptPlanText1764300000000 } from './1764300000000-encrypt-plan-text';
import { ConsentSignersAndRedisclosure1764900000000 } from './1764900000000-consent-signers-and-redisclosure';
import { EpisodeDiagnosesAndPayers1796392020000 } from './1796392020000-episode-diagnoses-and-payers';

/**
 * Every migration of the intake schema: the platform libraries' tables (outbox, inbox, audit, idempotency) and
 * the service's own. The bundle has no folder to scan, so they are listed here; TypeORM applies them in
 * timestamp order.
 */
export const intakeMigrations = [
  ...messagingMigrations(INTAKE_SCHEMA),
  ...securityMigrations(INTAKE_SCHEMA),
  CreateCareRecords1764000000000,
  CreateScreenings1764000100000,
  CreateAssessments1764000200000,
  CreateReviews1764000300000,
  CreateConsents1764000400000,
  CreateTreatmentPlans1764000500000,
  ConsentRecipientContacts1764000600000,
  EncryptPlanText1764300000000,
  LengthOfStayReviews1764400000000,
  ConsentSignersAndRedisclosure1764900000000,
  EpisodeDiagnosesAndPayers1796392020000,
];
