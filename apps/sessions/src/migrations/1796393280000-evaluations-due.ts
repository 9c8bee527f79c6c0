import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { SESSIONS_SCHEMA } from '../sessions.schema';

const S = `"${SESSIONS_SCHEMA}"`;

/**
 * Episodes whose progress evaluation is due: marked in the transaction of the request that changed their facts
 * and claimed by the evaluation that runs after it (`DeferredEvaluation`). One row per episode however many
 * writes marked it; `not_before` puts off an evaluation that failed.
 */
export class EvaluationsDue1796393280000 implements MigrationInterface {
  name = 'EvaluationsDue1796393280000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE ${S}.evaluations_due (
         episode_id uuid PRIMARY KEY, marked_at timestamptz NOT NULL,
         not_before timestamptz NOT NULL DEFAULT '-infinity', attempts integer NOT NULL DEFAULT 0)`,
      `CREATE INDEX evaluations_due_order ON ${S}.evaluations_due (not_before, marked_at)`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${S}.evaluations_due`);
  }
}
