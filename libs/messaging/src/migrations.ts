import { type MigrationClass, schemaMigration } from '@stepwise/platform';
import { createInboxTablesV1, dropInboxTablesV1 } from './consumer/inbox-tables';
import {
  createOutboxNotifyTriggerV1,
  createOutboxTableV1,
  dropOutboxNotifyTriggerV1,
  dropOutboxTableV1,
  removeOutboxNotifyTriggerV1,
  resetOutboxAutovacuumV1,
  tuneOutboxAutovacuumV1,
} from './outbox/outbox-table';

/**
 * The messaging tables of one service's schema, oldest first: the outbox and the inbox with their later
 * changes. A service lists these with its own migrations (TypeORM orders all of them by timestamp); the names
 * are the ones every deployed schema has recorded, so they never change.
 */
export function messagingMigrations(schema: string): MigrationClass[] {
  return [
    schemaMigration('CreateOutbox1763856000000', schema, {
      up: createOutboxTableV1,
      down: dropOutboxTableV1,
    }),
    schemaMigration('OutboxNotify1763856100000', schema, {
      up: createOutboxNotifyTriggerV1,
      down: dropOutboxNotifyTriggerV1,
    }),
    schemaMigration('CreateInbox1763950000000', schema, { up: createInboxTablesV1, down: dropInboxTablesV1 }),
    // The relay is woken after commit by the UnitOfWork, no longer by a trigger.
    schemaMigration('OutboxWakeUpAfterCommit1764100000000', schema, {
      up: removeOutboxNotifyTriggerV1,
      down: createOutboxNotifyTriggerV1,
    }),
    // The outbox is a queue: vacuumed after every 5,000 dead rows.
    schemaMigration('OutboxAutovacuum1764200000000', schema, {
      up: tuneOutboxAutovacuumV1,
      down: resetOutboxAutovacuumV1,
    }),
  ];
}
