import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { createOutboxTableV1, dropOutboxTableV1 } from '@stepwise/messaging';
import { NOTIFICATIONS_SCHEMA } from '../notifications.schema';

export class CreateOutbox1763856000000 implements MigrationInterface {
  name = 'CreateOutbox1763856000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createOutboxTableV1(queryRunner, NOTIFICATIONS_SCHEMA);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropOutboxTableV1(queryRunner, NOTIFICATIONS_SCHEMA);
  }
}
