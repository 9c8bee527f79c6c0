import { messagingMigrations } from '@stepwise/messaging';
import { securityMigrations } from '@stepwise/security';
import { SESSIONS_SCHEMA } from '../sessions.schema';
import { CreateSessionsTables1764000000000 } from './1764000000000-create-sessions-tables';
import { ClinicalDecisions1765000000000 } from './1765000000000-clinical-decisions';

/**
 * Every migration of the sessions schema: the platform libraries' tables (outbox, inbox, audit, idempotency) and
 * the service's own. The bundle has no folder to scan, so they are listed here; TypeORM applies them in
 * timestamp order.
 */
export const sessionsMigrations = [
  ...messagingMigrations(SESSIONS_SCHEMA),
  ...securityMigrations(SESSIONS_SCHEMA),
  CreateSessionsTables1764000000000,
  ClinicalDecisions1765000000000,
];
