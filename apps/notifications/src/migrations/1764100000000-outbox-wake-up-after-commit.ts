import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { createOutboxNotifyTriggerV1, removeOutboxNotifyTriggerV1 } from '@stepwise/messaging';
import { NOTIFICATIONS_SCHEMA } from '../notifications.schema';

/** The relay is woken after commit by the UnitOfWork, no longer by a trigger (see removeOutboxNotifyTriggerV1). */
export class OutboxWakeUpAfterCommit1764100000000 implements MigrationInterface {
  name = 'OutboxWakeUpAfterCommit1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await removeOutboxNotifyTriggerV1(queryRunner, NOTIFICATIONS_SCHEMA);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await createOutboxNotifyTriggerV1(queryRunner, NOTIFICATIONS_SCHEMA);
  }
}
