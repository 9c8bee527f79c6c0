import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { SCHEDULING_SCHEMA } from '../scheduling.schema';

/**
 * Each track's documentation grace: hours after a week ends during which late attendance still counts before
 * sessions judges the week (issue #19). 48 for the tracks that exist.
 */
export class TrackDocumentationGrace1765000000000 implements MigrationInterface {
  name = 'TrackDocumentationGrace1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "${SCHEDULING_SCHEMA}"."program_tracks"
         ADD COLUMN documentation_grace_hours integer NOT NULL DEFAULT 48`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "${SCHEDULING_SCHEMA}"."program_tracks" DROP COLUMN documentation_grace_hours`,
    );
  }
}
