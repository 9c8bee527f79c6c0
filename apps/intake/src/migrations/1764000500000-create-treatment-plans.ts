import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { INTAKE_SCHEMA } from '../intake.schema';

const S = `"${INTAKE_SCHEMA}"`;

/** Treatment plans (versions of problems → goals → objectives → interventions), signatures and reviews. */
export class CreateTreatmentPlans1764000500000 implements MigrationInterface {
  name = 'CreateTreatmentPlans1764000500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ${S}.treatment_plans (
        id                    uuid        PRIMARY KEY,
        episode_id            uuid        NOT NULL REFERENCES ${S}.episodes (id),
        client_id             uuid        NOT NULL,
        site_id               uuid        NOT NULL,
        network_id            uuid,
        version               integer     NOT NULL,
        status                text        NOT NULL CHECK (status IN ('draft', 'signed', 'superseded')),
        problems              jsonb       NOT NULL,
        goal_ids              uuid[]      NOT NULL,
        client_signed_on      date,
        signed_by             uuid,
        signed_at             timestamptz,
        review_due_on         date,
        created_by            text        NOT NULL,
        created_at            timestamptz NOT NULL DEFAULT clock_timestamp(),
        UNIQUE (episode_id, version)
      )`);
    await queryRunner.query(`
      CREATE TABLE ${S}.treatment_plan_reviews (
        id             uuid        PRIMARY KEY,
        plan_id        uuid        NOT NULL REFERENCES ${S}.treatment_plans (id),
        goals_met      uuid[]      NOT NULL,
        goals_total    integer     NOT NULL,
        reviewed_at    timestamptz NOT NULL,
        reviewed_by    uuid        NOT NULL,
        next_due_on    date        NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${S}.treatment_plan_reviews`);
    await queryRunner.query(`DROP TABLE ${S}.treatment_plans`);
  }
}
