import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { SESSIONS_SCHEMA } from '../sessions.schema';

const S = `"${SESSIONS_SCHEMA}"`;

/**
 * Billing where attendance is known: intake's payer authorizations and episode diagnoses, projected (each
 * version kept), and the authorization warnings published (each once).
 */
export class Billing1796392080000 implements MigrationInterface {
  name = 'Billing1796392080000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE ${S}.payer_authorizations (
         authorization_id uuid PRIMARY KEY, episode_id uuid NOT NULL, client_id uuid NOT NULL,
         site_id uuid NOT NULL, payer_code text NOT NULL, authorization_number text NOT NULL,
         level_of_care text NOT NULL, units integer NOT NULL CHECK (units >= 1), starts_on date NOT NULL,
         ends_on date NOT NULL, recorded_at timestamptz NOT NULL, CHECK (ends_on >= starts_on))`,
      `CREATE INDEX payer_authorizations_episode ON ${S}.payer_authorizations (episode_id)`,
      `CREATE TABLE ${S}.episode_diagnoses (
         episode_id uuid NOT NULL, revision integer NOT NULL, diagnosis_codes text[] NOT NULL,
         effective_on date NOT NULL, PRIMARY KEY (episode_id, revision))`,
      `CREATE TABLE ${S}.authorization_warnings (
         authorization_id uuid NOT NULL, kind text NOT NULL CHECK (kind IN ('units-low', 'expiring')),
         episode_id uuid NOT NULL, remaining_units integer NOT NULL, as_of date NOT NULL,
         rule_set_id text NOT NULL, warned_at timestamptz NOT NULL, PRIMARY KEY (authorization_id, kind))`,
      `CREATE INDEX attendance_site_date ON ${S}.attendance (site_id, session_date)`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ${S}.attendance_site_date`);
    for (const name of ['authorization_warnings', 'episode_diagnoses', 'payer_authorizations']) {
      await queryRunner.query(`DROP TABLE ${S}.${name}`);
    }
  }
}
