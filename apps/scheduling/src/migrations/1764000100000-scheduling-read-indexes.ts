import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { SCHEDULING_SCHEMA } from '../scheduling.schema';

/**
 * Per-site generation reads a site's active enrollments and each enrollment's appointments by week; without
 * these indexes every site's run scans the whole network's rows.
 */
export class SchedulingReadIndexes1764000100000 implements MigrationInterface {
  name = 'SchedulingReadIndexes1764000100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "appointments_enrollment_idx" ON "${SCHEDULING_SCHEMA}"."appointments" (enrollment_id, starts_at)
        WHERE status = 'scheduled'`,
    );
    await queryRunner.query(
      `CREATE INDEX "enrollments_site_idx" ON "${SCHEDULING_SCHEMA}"."enrollments" (site_id) WHERE status = 'active'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "${SCHEDULING_SCHEMA}"."enrollments_site_idx"`);
    await queryRunner.query(`DROP INDEX "${SCHEDULING_SCHEMA}"."appointments_enrollment_idx"`);
  }
}
