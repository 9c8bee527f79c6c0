import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { INTAKE_SCHEMA } from '../intake.schema';

const PLANS = `"${INTAKE_SCHEMA}".treatment_plans`;

/**
 * A plan's problems, goals, objectives and interventions are clinical free text: from now on they are stored
 * sealed (`problems_sealed`, with the plan's data key wrapped in `problems_key` by the KEK `kek_id`), never in
 * the clear. Plans written before keep their plain `problems` and stay readable; a row holds one form only.
 */
export class EncryptPlanText1764300000000 implements MigrationInterface {
  name = 'EncryptPlanText1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE ${PLANS}
        ALTER COLUMN problems DROP NOT NULL,
        ADD COLUMN problems_sealed bytea,
        ADD COLUMN problems_key bytea,
        ADD COLUMN kek_id text,
        ADD CONSTRAINT treatment_plans_problems_one_form CHECK (
          (problems IS NULL) = (problems_sealed IS NOT NULL AND problems_key IS NOT NULL AND kek_id IS NOT NULL)
        )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Sealed plans cannot be turned back into plain text here (the key is not in the database).
    await queryRunner.query(`
      ALTER TABLE ${PLANS}
        DROP CONSTRAINT treatment_plans_problems_one_form,
        DROP COLUMN kek_id,
        DROP COLUMN problems_key,
        DROP COLUMN problems_sealed,
        ALTER COLUMN problems SET NOT NULL`);
  }
}
