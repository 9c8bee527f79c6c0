import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { ILLUSTRATIVE_RULE_SET } from '../assessments/asam-rules';
import { INTAKE_SCHEMA } from '../intake.schema';

const S = `"${INTAKE_SCHEMA}"`;

/**
 * ASAM rule sets as versioned data (seeded with the illustrative default, which is not ASAM's official
 * rules) and the assessments made with them.
 */
export class CreateAssessments1764000200000 implements MigrationInterface {
  name = 'CreateAssessments1764000200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ${S}.asam_rule_sets (
        code            text        NOT NULL,
        version         integer     NOT NULL,
        label           text        NOT NULL,
        illustrative    boolean     NOT NULL,
        rules           jsonb       NOT NULL,
        fallback_level  text        NOT NULL,
        is_default      boolean     NOT NULL DEFAULT false,
        created_by      text        NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (code, version)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX asam_rule_sets_default_idx ON ${S}.asam_rule_sets ((true)) WHERE is_default`,
    );
    const set = ILLUSTRATIVE_RULE_SET;
    await queryRunner.query(
      `INSERT INTO ${S}.asam_rule_sets (code, version, label, illustrative, rules, fallback_level, is_default, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, true, 'migration')`,
      [set.code, set.version, set.label, set.illustrative, JSON.stringify(set.rules), set.fallbackLevel],
    );
    await queryRunner.query(`
      CREATE TABLE ${S}.assessments (
        id                uuid        PRIMARY KEY,
        client_id         uuid        NOT NULL REFERENCES ${S}.clients (id),
        site_id           uuid        NOT NULL,
        network_id        uuid,
        episode_id        uuid        REFERENCES ${S}.episodes (id),
        kind              text        NOT NULL CHECK (kind IN ('initial', 'reassessment')),
        ratings           smallint[]  NOT NULL,
        rule_set_version  text        NOT NULL,
        computed_level    text        NOT NULL,
        override_level    text,
        override_reason   text,
        recommended_level text        NOT NULL,
        assessed_by       uuid        NOT NULL,
        assessed_at       timestamptz NOT NULL,
        created_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
        CHECK ((override_level IS NULL) = (override_reason IS NULL))
      )`);
    await queryRunner.query(
      `CREATE INDEX assessments_client_idx ON ${S}.assessments (client_id, created_at, id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${S}.assessments`);
    await queryRunner.query(`DROP TABLE ${S}.asam_rule_sets`);
  }
}
