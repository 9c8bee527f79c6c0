import { type MigrationClass, schemaMigration } from '@stepwise/platform';
import { type QueryRunner } from 'typeorm';
import { createAuditTableV1, dropAuditTableV1 } from './audit/audit-table';
import { createEmergencyAccessTableV1, dropEmergencyAccessTableV1 } from './authorization/emergency-access';
import { createIdempotencyTableV1, dropIdempotencyTableV1 } from './idempotency/idempotency-table';

/**
 * The security tables of one service's schema: the append-only audit trail and the Idempotency-Key store.
 * A service lists these with its own migrations; the name is the one every deployed schema has recorded.
 */
export function securityMigrations(schema: string): MigrationClass[] {
  return [
    schemaMigration('CreateSecurityTables1763900000000', schema, {
      async up(queryRunner: QueryRunner, target: string) {
        await createAuditTableV1(queryRunner, target);
        await createIdempotencyTableV1(queryRunner, target);
      },
      async down(queryRunner: QueryRunner, target: string) {
        await dropIdempotencyTableV1(queryRunner, target);
        await dropAuditTableV1(queryRunner, target);
      },
    }),
    // Break-glass grants (emergency access to one client's record outside the caller's sites).
    schemaMigration('CreateEmergencyAccessGrants1764950000000', schema, {
      up: (queryRunner: QueryRunner, target: string) => createEmergencyAccessTableV1(queryRunner, target),
      down: (queryRunner: QueryRunner, target: string) => dropEmergencyAccessTableV1(queryRunner, target),
    }),
  ];
}
