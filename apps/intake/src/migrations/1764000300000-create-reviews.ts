import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { INTAKE_SCHEMA } from '../intake.schema';

const S = `"${INTAKE_SCHEMA}"`;

/** Level-of-care reviews: the clinician queue opened by sessions' step-down/step-up recommendations. */
export class CreateReviews1764000300000 implements MigrationInterface {
  name = 'CreateReviews1764000300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ${S}.reviews (
        id                  uuid        PRIMARY KEY,
        recommendation_id   uuid        NOT NULL UNIQUE,
        direction           text        NOT NULL CHECK (direction IN ('step-down', 'step-up')),
        client_id           uuid        NOT NULL,
        episode_id          uuid        NOT NULL,
        site_id             uuid        NOT NULL,
        network_id          uuid,
        from_level          text        NOT NULL,
        to_level            text        NOT NULL,
        evidence            jsonb       NOT NULL,
        rule_set_version    text        NOT NULL,
        recommended_at      timestamptz NOT NULL,
        status              text        NOT NULL CHECK (status IN ('open', 'approved', 'declined')),
        decided_by          uuid,
        decided_at          timestamptz,
        decline_reason      text,
        program_track_id    uuid,
        created_at          timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(
      `CREATE INDEX reviews_queue_idx ON ${S}.reviews (site_id, status, created_at, id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${S}.reviews`);
  }
}
