import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { NOTIFICATIONS_SCHEMA } from '../notifications.schema';

const S = `"${NOTIFICATIONS_SCHEMA}"`;

/**
 * What a clinical alert is about, when a later fact can settle it (`weekly-hours:<episode>:<week>`), and when
 * it was withdrawn: a correction that resolves a weekly-hours shortfall withdraws its alert (issue #19).
 */
export class AlertSubjects1765000000000 implements MigrationInterface {
  name = 'AlertSubjects1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE ${S}.notifications ADD COLUMN subject_key text, ADD COLUMN withdrawn_at timestamptz`,
    );
    await queryRunner.query(
      `CREATE INDEX notifications_subject ON ${S}.notifications (subject_key) WHERE subject_key IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ${S}.notifications_subject`);
    await queryRunner.query(
      `ALTER TABLE ${S}.notifications DROP COLUMN subject_key, DROP COLUMN withdrawn_at`,
    );
  }
}
