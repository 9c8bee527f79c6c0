import { type MigrationInterface, type QueryRunner } from 'typeorm';
import {
  createAuditTableV1,
  createIdempotencyTableV1,
  dropAuditTableV1,
  dropIdempotencyTableV1,
} from '@stepwise/security';
import { NOTIFICATIONS_SCHEMA } from '../notifications.schema';

/** The append-only audit trail and the Idempotency-Key store (libs/security). */
export class CreateSecurityTables1763900000000 implements MigrationInterface {
  name = 'CreateSecurityTables1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createAuditTableV1(queryRunner, NOTIFICATIONS_SCHEMA);
    await createIdempotencyTableV1(queryRunner, NOTIFICATIONS_SCHEMA);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropIdempotencyTableV1(queryRunner, NOTIFICATIONS_SCHEMA);
    await dropAuditTableV1(queryRunner, NOTIFICATIONS_SCHEMA);
  }
}
