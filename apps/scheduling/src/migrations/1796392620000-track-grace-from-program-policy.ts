import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { SCHEDULING_SCHEMA } from '../scheduling.schema';

/**
 * A track's documentation grace is its own only when it sets one: null means the program policy in force (a
 * care rule set a network administrator loads) decides, so the 48 hours are no longer a column default here.
 * Tracks saved before keep the 48 they were given: nothing tells a chosen 48 from the old default.
 */
export class TrackGraceFromProgramPolicy1796392620000 implements MigrationInterface {
  name = 'TrackGraceFromProgramPolicy1796392620000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "${SCHEDULING_SCHEMA}"."program_tracks"
         ALTER COLUMN documentation_grace_hours DROP NOT NULL,
         ALTER COLUMN documentation_grace_hours DROP DEFAULT`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "${SCHEDULING_SCHEMA}"."program_tracks" SET documentation_grace_hours = 48
        WHERE documentation_grace_hours IS NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "${SCHEDULING_SCHEMA}"."program_tracks"
         ALTER COLUMN documentation_grace_hours SET DEFAULT 48,
         ALTER COLUMN documentation_grace_hours SET NOT NULL`,
    );
  }
}
