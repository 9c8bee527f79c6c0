import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { createOutboxNotifyTriggerV1, dropOutboxNotifyTriggerV1 } from '@stepwise/messaging';
import { INTAKE_SCHEMA } from '../intake.schema';

export class OutboxNotify1763856100000 implements MigrationInterface {
  name = 'OutboxNotify1763856100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createOutboxNotifyTriggerV1(queryRunner, INTAKE_SCHEMA);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropOutboxNotifyTriggerV1(queryRunner, INTAKE_SCHEMA);
  }
}
