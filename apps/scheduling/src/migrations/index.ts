import { CreateOutbox1763856000000 } from './1763856000000-create-outbox';
import { OutboxNotify1763856100000 } from './1763856100000-outbox-notify';
import { CreateSecurityTables1763900000000 } from './1763900000000-create-security-tables';
import { CreateInbox1763950000000 } from './1763950000000-create-inbox';
import { CreateSchedulingTables1764000000000 } from './1764000000000-create-scheduling-tables';
import { SchedulingReadIndexes1764000100000 } from './1764000100000-scheduling-read-indexes';
import { OutboxWakeUpAfterCommit1764100000000 } from './1764100000000-outbox-wake-up-after-commit';
import { OutboxAutovacuum1764200000000 } from './1764200000000-outbox-autovacuum';

/** Every migration of the scheduling schema, oldest first. The bundle has no folder to scan, so list them here. */
export const schedulingMigrations = [
  CreateOutbox1763856000000,
  OutboxNotify1763856100000,
  CreateSecurityTables1763900000000,
  CreateInbox1763950000000,
  CreateSchedulingTables1764000000000,
  SchedulingReadIndexes1764000100000,
  OutboxWakeUpAfterCommit1764100000000,
  OutboxAutovacuum1764200000000,
];
