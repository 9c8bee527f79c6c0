import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { SESSIONS_SCHEMA } from '../sessions.schema';

const S = `"${SESSIONS_SCHEMA}"`;

/**
 * What the clinical rules need to decide as a counselor would (issue #19):
 * - the level history of each episode (a week is judged against the level in force that week) and a level
 *   epoch that advances with every clinical level change;
 * - recommendations keyed by the newest fact they rest on, with their level epoch and whether a clinician
 *   declined them, instead of one per episode, direction, level and rule set for ever;
 * - late documentation: a grace period per track before a week closes, and when a closed week was corrected;
 * - medication-assisted treatment: each episode's medication list, and each screen's interpretation under the
 *   screen policy (what it counts as for the rules).
 */
export class ClinicalDecisions1765000000000 implements MigrationInterface {
  name = 'ClinicalDecisions1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `ALTER TABLE ${S}.episodes ADD COLUMN level_epoch integer NOT NULL DEFAULT 0,
         ADD COLUMN level_since timestamptz`,
      `CREATE TABLE ${S}.level_history (
         episode_id uuid NOT NULL, effective_at timestamptz NOT NULL, level_of_care text NOT NULL,
         PRIMARY KEY (episode_id, effective_at))`,
      `INSERT INTO ${S}.level_history (episode_id, effective_at, level_of_care)
         SELECT episode_id, admitted_at, level_of_care FROM ${S}.episodes`,
      `DO $$ DECLARE c text; BEGIN
         SELECT conname INTO c FROM pg_constraint
          WHERE conrelid = '${S}.recommendations'::regclass AND contype = 'u';
         IF c IS NOT NULL THEN EXECUTE format('ALTER TABLE ${S}.recommendations DROP CONSTRAINT %I', c); END IF;
       END $$`,
      `ALTER TABLE ${S}.recommendations ADD COLUMN level_epoch integer NOT NULL DEFAULT 0,
         ADD COLUMN key_fact text NOT NULL DEFAULT '', ADD COLUMN key_fact_at timestamptz,
         ADD COLUMN declined_at timestamptz`,
      `UPDATE ${S}.recommendations SET key_fact_at = recommended_at`,
      `ALTER TABLE ${S}.recommendations ALTER COLUMN key_fact_at SET NOT NULL`,
      `CREATE INDEX recommendations_episode ON ${S}.recommendations (episode_id, direction, level_epoch)`,
      // Late documentation: each track's grace period before a week closes; a closed week's last correction.
      `ALTER TABLE ${S}.program_tracks ADD COLUMN documentation_grace_hours integer NOT NULL DEFAULT 48`,
      `ALTER TABLE ${S}.closed_weeks ADD COLUMN recalculated_at timestamptz`,
      // Medication-assisted treatment: the episode's medication list, and what each screen was read as.
      `CREATE TABLE ${S}.medications (
         medication_id uuid PRIMARY KEY, episode_id uuid NOT NULL, client_id uuid NOT NULL, site_id uuid NOT NULL,
         medication_code text NOT NULL, mat boolean NOT NULL, prescriber_id uuid NOT NULL, starts_on date NOT NULL,
         stops_on date, expected_substances text[] NOT NULL, recorded_by text NOT NULL,
         recorded_at timestamptz NOT NULL, stopped_by text, stopped_at timestamptz,
         CHECK (stops_on IS NULL OR stops_on >= starts_on))`,
      `CREATE INDEX medications_episode ON ${S}.medications (episode_id)`,
      `ALTER TABLE ${S}.drug_screens ADD COLUMN interpretation text, ADD COLUMN evidence text`,
      `UPDATE ${S}.drug_screens SET
         interpretation = CASE result WHEN 'positive' THEN 'use' WHEN 'negative' THEN 'negative'
                                      WHEN 'refused' THEN 'treated-as-positive' ELSE 'retest-requested' END,
         evidence = CASE result WHEN 'positive' THEN 'positive' WHEN 'negative' THEN 'negative'
                                WHEN 'refused' THEN 'positive' ELSE 'none' END`,
      `ALTER TABLE ${S}.drug_screens ALTER COLUMN interpretation SET NOT NULL,
         ALTER COLUMN evidence SET NOT NULL`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `ALTER TABLE ${S}.drug_screens DROP COLUMN interpretation, DROP COLUMN evidence`,
      `DROP TABLE ${S}.medications`,
      `ALTER TABLE ${S}.closed_weeks DROP COLUMN recalculated_at`,
      `ALTER TABLE ${S}.program_tracks DROP COLUMN documentation_grace_hours`,
      `DROP INDEX ${S}.recommendations_episode`,
      `ALTER TABLE ${S}.recommendations DROP COLUMN level_epoch, DROP COLUMN key_fact, DROP COLUMN key_fact_at,
         DROP COLUMN declined_at`,
      `DROP TABLE ${S}.level_history`,
      `ALTER TABLE ${S}.episodes DROP COLUMN level_epoch, DROP COLUMN level_since`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }
}
