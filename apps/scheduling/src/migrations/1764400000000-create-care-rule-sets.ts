import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { SCHEDULING_SCHEMA } from '../scheduling.schema';

/**
 * Versioned clinical rule sets (program shape, progress) that network administrators load. Rows are only ever
 * inserted: a change is the next version of its code, so what an older version decided stays explainable.
 */
export class CreateCareRuleSets1764400000000 implements MigrationInterface {
  name = 'CreateCareRuleSets1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "${SCHEDULING_SCHEMA}"."care_rule_sets" (
        rule_set_id  text        PRIMARY KEY,
        record_id    uuid        NOT NULL UNIQUE,
        code         text        NOT NULL,
        version      integer     NOT NULL CHECK (version > 0),
        kind         text        NOT NULL,
        illustrative boolean     NOT NULL,
        content      jsonb       NOT NULL,
        loaded_by    text        NOT NULL,
        loaded_at    timestamptz NOT NULL,
        seq          bigserial   NOT NULL,
        UNIQUE (code, version)
      )`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "${SCHEDULING_SCHEMA}"."care_rule_sets"`);
  }
}
