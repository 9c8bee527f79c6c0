import { CreateOutbox1763856000000 } from './1763856000000-create-outbox';
import { OutboxNotify1763856100000 } from './1763856100000-outbox-notify';
import { CreateSecurityTables1763900000000 } from './1763900000000-create-security-tables';
import { CreateInbox1763950000000 } from './1763950000000-create-inbox';
import { CreateCareRecords1764000000000 } from './1764000000000-create-care-records';
import { CreateScreenings1764000100000 } from './1764000100000-create-screenings';
import { CreateAssessments1764000200000 } from './1764000200000-create-assessments';
import { CreateReviews1764000300000 } from './1764000300000-create-reviews';
import { CreateConsents1764000400000 } from './1764000400000-create-consents';
import { CreateTreatmentPlans1764000500000 } from './1764000500000-create-treatment-plans';
import { ConsentRecipientContacts1764000600000 } from './1764000600000-consent-recipient-contacts';
import { OutboxWakeUpAfterCommit1764100000000 } from './1764100000000-outbox-wake-up-after-commit';
import { OutboxAutovacuum1764200000000 } from './1764200000000-outbox-autovacuum';
import { EncryptPlanText1764300000000 } from './1764300000000-encrypt-plan-text';

/** Every migration of the intake schema, oldest first. The bundle has no folder to scan, so list them here. */
export const intakeMigrations = [
  CreateOutbox1763856000000,
  OutboxNotify1763856100000,
  CreateSecurityTables1763900000000,
  CreateInbox1763950000000,
  CreateCareRecords1764000000000,
  CreateScreenings1764000100000,
  CreateAssessments1764000200000,
  CreateReviews1764000300000,
  CreateConsents1764000400000,
  CreateTreatmentPlans1764000500000,
  ConsentRecipientContacts1764000600000,
  OutboxWakeUpAfterCommit1764100000000,
  OutboxAutovacuum1764200000000,
  EncryptPlanText1764300000000,
];
