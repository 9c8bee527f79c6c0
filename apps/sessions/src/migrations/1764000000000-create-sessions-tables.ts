import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { SESSIONS_SCHEMA } from '../sessions.schema';

const S = `"${SESSIONS_SCHEMA}"`;

/**
 * The sessions service's records: projections of reference data and other services' facts, session records
 * per appointment, attendance, drug screens, notes (text encrypted by the application), and what the
 * progress rules derived and published (so each is published once).
 */
export class CreateSessionsTables1764000000000 implements MigrationInterface {
  name = 'CreateSessionsTables1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      // Projections (upserted by events; each keeps what the latest fact said).
      `CREATE TABLE ${S}.sites (
         site_id uuid PRIMARY KEY, network_id uuid NOT NULL, time_zone text NOT NULL,
         active boolean NOT NULL, updated_at timestamptz NOT NULL)`,
      `CREATE TABLE ${S}.program_tracks (
         program_track_id uuid PRIMARY KEY, site_id uuid NOT NULL, level_of_care text NOT NULL,
         population text NOT NULL, planned_weekly_minutes integer NOT NULL, active boolean NOT NULL,
         updated_at timestamptz NOT NULL)`,
      `CREATE TABLE ${S}.episodes (
         episode_id uuid PRIMARY KEY, client_id uuid NOT NULL, site_id uuid NOT NULL,
         program_track_id uuid NOT NULL, level_of_care text NOT NULL, authorized_level text,
         population text NOT NULL, admitted_at timestamptz NOT NULL, primary_counselor_id uuid NOT NULL,
         discharged_at timestamptz, discharge_reason text, sobriety_since timestamptz)`,
      `CREATE INDEX episodes_client ON ${S}.episodes (client_id)`,
      `CREATE TABLE ${S}.enrollments (
         enrollment_id uuid PRIMARY KEY, client_id uuid NOT NULL, episode_id uuid NOT NULL, site_id uuid NOT NULL,
         program_track_id uuid NOT NULL, starts_on date NOT NULL, planned_weekly_minutes integer NOT NULL)`,
      `CREATE TABLE ${S}.session_records (
         appointment_id uuid PRIMARY KEY, occurrence_id uuid NOT NULL, client_id uuid NOT NULL,
         episode_id uuid NOT NULL, site_id uuid NOT NULL, kind text NOT NULL, session_type text NOT NULL,
         modality text NOT NULL, facilitator_id uuid NOT NULL, starts_at timestamptz NOT NULL,
         ends_at timestamptz NOT NULL, cancelled_at timestamptz, cancel_reason text,
         CHECK (ends_at > starts_at))`,
      `CREATE INDEX session_records_occurrence ON ${S}.session_records (occurrence_id)`,
      `CREATE INDEX session_records_episode ON ${S}.session_records (episode_id, starts_at)`,
      `CREATE TABLE ${S}.treatment_plans (
         plan_id uuid NOT NULL, version integer NOT NULL, episode_id uuid NOT NULL, client_id uuid NOT NULL,
         goal_ids uuid[] NOT NULL, signed_at timestamptz NOT NULL, PRIMARY KEY (plan_id, version))`,
      `CREATE INDEX treatment_plans_episode ON ${S}.treatment_plans (episode_id, signed_at)`,
      `CREATE TABLE ${S}.plan_reviews (
         plan_id uuid NOT NULL, version integer NOT NULL, reviewed_at timestamptz NOT NULL,
         episode_id uuid NOT NULL, client_id uuid NOT NULL, goals_met integer NOT NULL,
         goals_total integer NOT NULL, PRIMARY KEY (plan_id, version, reviewed_at))`,
      `CREATE INDEX plan_reviews_episode ON ${S}.plan_reviews (episode_id)`,
      `CREATE TABLE ${S}.assessments (
         assessment_id uuid PRIMARY KEY, client_id uuid NOT NULL, episode_id uuid, site_id uuid NOT NULL,
         dimension_ratings integer[] NOT NULL, recommended_level text NOT NULL, assessed_at timestamptz NOT NULL)`,
      `CREATE INDEX assessments_client ON ${S}.assessments (client_id, assessed_at)`,
      // The service's own records.
      `CREATE TABLE ${S}.attendance (
         attendance_id uuid PRIMARY KEY, appointment_id uuid NOT NULL UNIQUE REFERENCES ${S}.session_records,
         occurrence_id uuid NOT NULL, client_id uuid NOT NULL, episode_id uuid NOT NULL, site_id uuid NOT NULL,
         outcome text NOT NULL CHECK (outcome IN ('present', 'late', 'left-early', 'absent', 'excused')),
         minutes_attended integer NOT NULL CHECK (minutes_attended BETWEEN 0 AND 1440),
         reason_code text, session_date date NOT NULL, revision integer NOT NULL CHECK (revision >= 1),
         recorded_by text NOT NULL, recorded_at timestamptz NOT NULL)`,
      `CREATE INDEX attendance_episode ON ${S}.attendance (episode_id, session_date)`,
      `CREATE TABLE ${S}.drug_screens (
         screen_id uuid PRIMARY KEY, client_id uuid NOT NULL, episode_id uuid NOT NULL, site_id uuid NOT NULL,
         collected_at timestamptz NOT NULL, collected_on date NOT NULL, resulted_at timestamptz NOT NULL,
         result text NOT NULL, substance_codes text[] NOT NULL, recorded_by text NOT NULL,
         recorded_at timestamptz NOT NULL)`,
      `CREATE INDEX drug_screens_episode ON ${S}.drug_screens (episode_id, collected_at)`,
      // Notes: every text column is AES-256-GCM ciphertext under the note's data key, itself wrapped by a
      // key-encryption key that lives in configuration (kek_id says which), never in this database.
      `CREATE TABLE ${S}.notes (
         note_id uuid PRIMARY KEY, site_id uuid NOT NULL, occurrence_id uuid NOT NULL,
         kind text NOT NULL CHECK (kind IN ('group', 'individual')),
         format text NOT NULL, status text NOT NULL CHECK (status IN ('draft', 'awaiting-cosign', 'signed')),
         cosign_required boolean NOT NULL, kek_id text NOT NULL, wrapped_key bytea NOT NULL,
         shared_section bytea, author_id text NOT NULL, created_at timestamptz NOT NULL,
         updated_at timestamptz NOT NULL, signed_by uuid, signed_at timestamptz, cosigned_by uuid,
         cosigned_at timestamptz)`,
      `CREATE UNIQUE INDEX notes_one_group_note ON ${S}.notes (occurrence_id) WHERE kind = 'group'`,
      `CREATE TABLE ${S}.note_entries (
         note_id uuid NOT NULL REFERENCES ${S}.notes, appointment_id uuid NOT NULL UNIQUE,
         client_id uuid NOT NULL, episode_id uuid NOT NULL, goal_ids uuid[] NOT NULL,
         sections bytea NOT NULL, PRIMARY KEY (note_id, appointment_id))`,
      `CREATE TABLE ${S}.note_addenda (
         addendum_id uuid PRIMARY KEY, note_id uuid NOT NULL REFERENCES ${S}.notes, author_id text NOT NULL,
         created_at timestamptz NOT NULL, body bytea NOT NULL)`,
      `CREATE INDEX note_addenda_note ON ${S}.note_addenda (note_id, created_at)`,
      // What the rules derived: closed weeks, detected risks and recommendations, each published once.
      `CREATE TABLE ${S}.closed_weeks (
         episode_id uuid NOT NULL, week_start date NOT NULL, client_id uuid NOT NULL,
         attended_minutes integer NOT NULL, required_minutes integer NOT NULL, level_of_care text NOT NULL,
         minimums_version text NOT NULL, short boolean NOT NULL, closed_at timestamptz NOT NULL,
         PRIMARY KEY (episode_id, week_start))`,
      `CREATE TABLE ${S}.engagement_risks (
         episode_id uuid NOT NULL, reason text NOT NULL, since date NOT NULL, client_id uuid NOT NULL,
         count integer NOT NULL, detected_at timestamptz NOT NULL, PRIMARY KEY (episode_id, reason, since))`,
      `CREATE TABLE ${S}.recommendations (
         recommendation_id uuid PRIMARY KEY, episode_id uuid NOT NULL, client_id uuid NOT NULL,
         direction text NOT NULL CHECK (direction IN ('step-down', 'step-up')), from_level text NOT NULL,
         to_level text NOT NULL, rule_set_version text NOT NULL, evidence jsonb NOT NULL, as_of date NOT NULL,
         recommended_at timestamptz NOT NULL, UNIQUE (episode_id, direction, from_level, rule_set_version))`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const tables = [
      'recommendations',
      'engagement_risks',
      'closed_weeks',
      'note_addenda',
      'note_entries',
      'notes',
      'drug_screens',
      'attendance',
      'assessments',
      'plan_reviews',
      'treatment_plans',
      'session_records',
      'enrollments',
      'episodes',
      'program_tracks',
      'sites',
    ];
    for (const table of tables) await queryRunner.query(`DROP TABLE ${S}.${table}`);
  }
}
