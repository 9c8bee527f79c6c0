import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { createInboxTablesV1, dropInboxTablesV1 } from '@stepwise/messaging';
import { INTAKE_SCHEMA } from '../intake.schema';

export class CreateInbox1763950000000 implements MigrationInterface {
  name = 'CreateInbox1763950000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createInboxTablesV1(queryRunner, INTAKE_SCHEMA);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropInboxTablesV1(queryRunner, INTAKE_SCHEMA);
  }
}
