import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { INTAKE_SCHEMA } from '../intake.schema';

const S = `"${INTAKE_SCHEMA}"`;

/**
 * Billing a payer would accept: an episode's diagnoses (ICD-10-CM, primary first) as revisions — a change is a
 * new row, never an edit, so what a past claim pointed to stays known — and the payer of each authorization,
 * with an id its units are counted down under. Authorizations recorded before name no payer: their days are
 * billed under the default rule set.
 */
export class EpisodeDiagnosesAndPayers1796392020000 implements MigrationInterface {
  name = 'EpisodeDiagnosesAndPayers1796392020000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE ${S}.episode_diagnoses (
         episode_id uuid NOT NULL REFERENCES ${S}.episodes (id), revision integer NOT NULL CHECK (revision >= 1),
         diagnosis_codes text[] NOT NULL CHECK (cardinality(diagnosis_codes) BETWEEN 1 AND 12),
         effective_on date NOT NULL, recorded_by text NOT NULL, recorded_at timestamptz NOT NULL,
         PRIMARY KEY (episode_id, revision))`,
    );
    await queryRunner.query(
      `ALTER TABLE ${S}.level_history ADD COLUMN authorization_id uuid, ADD COLUMN payer_code text`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE ${S}.level_history DROP COLUMN authorization_id, DROP COLUMN payer_code`,
    );
    await queryRunner.query(`DROP TABLE ${S}.episode_diagnoses`);
  }
}
