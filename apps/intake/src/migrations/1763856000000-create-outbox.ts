import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { createOutboxTableV1, dropOutboxTableV1 } from '@stepwise/messaging';
import { INTAKE_SCHEMA } from '../intake.schema';

export class CreateOutbox1763856000000 implements MigrationInterface {
  name = 'CreateOutbox1763856000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createOutboxTableV1(queryRunner, INTAKE_SCHEMA);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropOutboxTableV1(queryRunner, INTAKE_SCHEMA);
  }
}
