import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { SESSIONS_SCHEMA } from '../sessions.schema';

/** A track's own expected length of stay (projected), and the episodes that reached theirs (once per track). */
export class LengthOfStay1764400100000 implements MigrationInterface {
  name = 'LengthOfStay1764400100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "${SESSIONS_SCHEMA}"."program_tracks" ADD COLUMN expected_stay_weeks integer`,
    );
    await queryRunner.query(
      `CREATE TABLE "${SESSIONS_SCHEMA}"."stay_reviews" (
        episode_id          uuid        NOT NULL,
        program_track_id    uuid        NOT NULL,
        client_id           uuid        NOT NULL,
        expected_stay_weeks integer     NOT NULL,
        reached_on          date        NOT NULL,
        rule_set_id         text,
        detected_at         timestamptz NOT NULL,
        PRIMARY KEY (episode_id, program_track_id)
      )`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "${SESSIONS_SCHEMA}"."stay_reviews"`);
    await queryRunner.query(
      `ALTER TABLE "${SESSIONS_SCHEMA}"."program_tracks" DROP COLUMN expected_stay_weeks`,
    );
  }
}
