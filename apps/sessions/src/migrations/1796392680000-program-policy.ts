import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { SESSIONS_SCHEMA } from '../sessions.schema';

const S = `"${SESSIONS_SCHEMA}"`;

/**
 * The program policy (screen readings, MAT expected substances, documentation grace) is a care rule set now:
 * - a track's grace is null unless the track sets its own (the policy in force decides), no column default;
 * - each screen and each closed week records the program policy version it was read or closed under (null for
 *   those from before, read under the then built-in policy).
 */
export class ProgramPolicy1796392680000 implements MigrationInterface {
  name = 'ProgramPolicy1796392680000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `ALTER TABLE ${S}.program_tracks ALTER COLUMN documentation_grace_hours DROP NOT NULL,
         ALTER COLUMN documentation_grace_hours DROP DEFAULT`,
      `ALTER TABLE ${S}.drug_screens ADD COLUMN program_policy_version text`,
      `ALTER TABLE ${S}.closed_weeks ADD COLUMN program_policy_version text`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `ALTER TABLE ${S}.closed_weeks DROP COLUMN program_policy_version`,
      `ALTER TABLE ${S}.drug_screens DROP COLUMN program_policy_version`,
      `UPDATE ${S}.program_tracks SET documentation_grace_hours = 48 WHERE documentation_grace_hours IS NULL`,
      `ALTER TABLE ${S}.program_tracks ALTER COLUMN documentation_grace_hours SET DEFAULT 48,
         ALTER COLUMN documentation_grace_hours SET NOT NULL`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }
}
