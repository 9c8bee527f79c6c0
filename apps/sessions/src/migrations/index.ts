import { messagingMigrations } from '@stepwise/messaging';
import { securityMigrations } from '@stepwise/security';
import { SESSIONS_SCHEMA } from '../sessions.schema';
import { CreateSessionsTables1764000000000 } from './1764000000000-create-sessions-tables';
import { ProjectCareRuleSets1764400000000 } from './1764400000000-project-care-rule-sets';
import { LengthOfStay1764400100000 } from './1764400100000-length-of-stay';
import { FamilyParticipants1764400200000 } from './1764400200000-family-participants';
import { ClinicalDecisions1765000000000 } from './1765000000000-clinical-decisions';
import { Billing1796392080000 } from './1796392080000-billing';
import { ProgramPolicy1796392680000 } from './1796392680000-program-policy';
import { EvaluationsDue1796393280000 } from './1796393280000-evaluations-due';

/**
 * Every migration of the sessions schema: the platform libraries' tables (outbox, inbox, audit, idempotency) and
 * the service's own. The bundle has no folder to scan, so they are listed here; TypeORM applies them in
 * timestamp order.
 */
export const sessionsMigrations = [
  ...messagingMigrations(SESSIONS_SCHEMA),
  ...securityMigrations(SESSIONS_SCHEMA),
  CreateSessionsTables1764000000000,
  ProjectCareRuleSets1764400000000,
  LengthOfStay1764400100000,
  FamilyParticipants1764400200000,
  ClinicalDecisions1765000000000,
  Billing1796392080000,
  ProgramPolicy1796392680000,
  EvaluationsDue1796393280000,
];
