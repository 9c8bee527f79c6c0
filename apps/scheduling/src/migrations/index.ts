import { messagingMigrations } from '@stepwise/messaging';
import { securityMigrations } from '@stepwise/security';
import { SCHEDULING_SCHEMA } from '../scheduling.schema';
import { CreateSchedulingTables1764000000000 } from './1764000000000-create-scheduling-tables';
import { TrackDocumentationGrace1765000000000 } from './1765000000000-track-documentation-grace';
import { SchedulingReadIndexes1764000100000 } from './1764000100000-scheduling-read-indexes';
import { CreateCareRuleSets1764400000000 } from './1764400000000-create-care-rule-sets';
import { CreateProgramShapeFlags1764400100000 } from './1764400100000-create-program-shape-flags';
import { TrackExpectedStay1764400200000 } from './1764400200000-track-expected-stay';
import { TrackGraceFromProgramPolicy1796392620000 } from './1796392620000-track-grace-from-program-policy';

/**
 * Every migration of the scheduling schema: the platform libraries' tables (outbox, inbox, audit, idempotency) and
 * the service's own. The bundle has no folder to scan, so they are listed here; TypeORM applies them in
 * timestamp order.
 */
export const schedulingMigrations = [
  ...messagingMigrations(SCHEDULING_SCHEMA),
  ...securityMigrations(SCHEDULING_SCHEMA),
  CreateSchedulingTables1764000000000,
  SchedulingReadIndexes1764000100000,
  CreateCareRuleSets1764400000000,
  CreateProgramShapeFlags1764400100000,
  TrackExpectedStay1764400200000,
  TrackDocumentationGrace1765000000000,
  TrackGraceFromProgramPolicy1796392620000,
];
