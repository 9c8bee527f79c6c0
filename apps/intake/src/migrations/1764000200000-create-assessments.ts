import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { INTAKE_SCHEMA } from '../intake.schema';

const S = `"${INTAKE_SCHEMA}"`;

const at = (dimension: number, atLeast: number): { dimension: number; atLeast: number } => ({
  dimension,
  atLeast,
});
const anyDimension = (atLeast: number): { dimension: number; atLeast: number }[] =>
  [1, 2, 3, 4, 5, 6].map((d) => at(d, atLeast));

/**
 * The rule set this migration seeds, copied as data: a migration is history and must write the same rows
 * however the live rules change later (a changed default is a new version, seeded by a new migration).
 * `asam-rules.spec.ts` checks that the live illustrative set still equals it.
 */
export const SEEDED_ILLUSTRATIVE_RULE_SET_V1 = {
  code: 'illustrative-asam',
  version: 1,
  label: "Illustrative example only - NOT ASAM's official decision rules",
  illustrative: true,
  rules: [
    { level: '4', any: [at(1, 4), at(2, 4), at(3, 4)] },
    { level: '3.7', any: [at(1, 3), at(2, 3)] },
    { level: '3.5', all: [at(3, 3), at(5, 3)] },
    { level: '3.1', all: [at(5, 3), at(6, 3)] },
    { level: '2.5', any: [at(3, 3), at(5, 3), at(6, 4)] },
    { level: '2.1', any: [at(1, 2), at(2, 2), at(3, 2), at(4, 3), at(5, 2), at(6, 2)] },
    { level: '1', any: anyDimension(1) },
  ],
  fallbackLevel: '0.5',
} as const;

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
    const set = SEEDED_ILLUSTRATIVE_RULE_SET_V1;
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
