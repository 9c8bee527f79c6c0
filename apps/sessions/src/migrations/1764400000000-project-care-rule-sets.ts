import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { SESSIONS_SCHEMA } from '../sessions.schema';

/**
 * The care rule sets scheduling owns and publishes (CareRuleSetLoaded on the reference topic), projected so
 * sessions judges weeks and makes recommendations by the very versions scheduling plans by.
 */
export class ProjectCareRuleSets1764400000000 implements MigrationInterface {
  name = 'ProjectCareRuleSets1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "${SESSIONS_SCHEMA}"."care_rule_sets" (
        rule_set_id  text        PRIMARY KEY,
        version      integer     NOT NULL,
        kind         text        NOT NULL,
        illustrative boolean     NOT NULL,
        content      jsonb       NOT NULL,
        loaded_at    timestamptz NOT NULL
      )`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "${SESSIONS_SCHEMA}"."care_rule_sets"`);
  }
}
