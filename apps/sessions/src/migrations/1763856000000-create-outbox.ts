import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { createOutboxTableV1, dropOutboxTableV1 } from '@stepwise/messaging';
import { SESSIONS_SCHEMA } from '../sessions.schema';

export class CreateOutbox1763856000000 implements MigrationInterface {
  name = 'CreateOutbox1763856000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createOutboxTableV1(queryRunner, SESSIONS_SCHEMA);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropOutboxTableV1(queryRunner, SESSIONS_SCHEMA);
  }
}
