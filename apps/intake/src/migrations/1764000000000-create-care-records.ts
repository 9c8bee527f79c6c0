import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { INTAKE_SCHEMA } from '../intake.schema';

const S = `"${INTAKE_SCHEMA}"`;

/**
 * The intake records: the projection of scheduling's reference data (sites, program tracks), referrals,
 * clients (the only demographics and contact details in the system), episodes of care and the history of
 * their clinical and authorized levels.
 */
export class CreateCareRecords1764000000000 implements MigrationInterface {
  name = 'CreateCareRecords1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ${S}.sites (
        id          uuid        PRIMARY KEY,
        network_id  uuid        NOT NULL,
        time_zone   text        NOT NULL,
        active      boolean     NOT NULL,
        updated_at  timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE ${S}.program_tracks (
        id             uuid        PRIMARY KEY,
        site_id        uuid        NOT NULL,
        level_of_care  text        NOT NULL,
        population     text        NOT NULL,
        active         boolean     NOT NULL,
        updated_at     timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE ${S}.referrals (
        id                uuid        PRIMARY KEY,
        site_id           uuid        NOT NULL,
        network_id        uuid,
        source            text        NOT NULL,
        reason_code       text        NOT NULL,
        referrer          jsonb       NOT NULL,
        status            text        NOT NULL,
        client_id         uuid,
        received_at       timestamptz NOT NULL,
        created_by        text        NOT NULL,
        created_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at        timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(`CREATE INDEX referrals_site_idx ON ${S}.referrals (site_id, created_at, id)`);
    await queryRunner.query(`
      CREATE TABLE ${S}.clients (
        id                  uuid        PRIMARY KEY,
        site_id             uuid        NOT NULL,
        network_id          uuid,
        referral_id         uuid        REFERENCES ${S}.referrals (id),
        given_name          text        NOT NULL,
        family_name         text        NOT NULL,
        date_of_birth       date        NOT NULL,
        pronouns            text,
        preferred_language  text        NOT NULL,
        time_zone           text        NOT NULL,
        phone               text,
        email               text,
        address             jsonb,
        created_by          text        NOT NULL,
        created_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at          timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(`CREATE INDEX clients_site_idx ON ${S}.clients (site_id, created_at, id)`);
    await queryRunner.query(`
      CREATE TABLE ${S}.episodes (
        id                     uuid        PRIMARY KEY,
        client_id              uuid        NOT NULL REFERENCES ${S}.clients (id),
        site_id                uuid        NOT NULL,
        network_id             uuid,
        program_track_id       uuid        NOT NULL,
        population             text        NOT NULL,
        clinical_level         text        NOT NULL,
        authorized_level       text,
        primary_counselor_id   uuid        NOT NULL,
        referral_id            uuid,
        admitted_on            date        NOT NULL,
        admitted_at            timestamptz NOT NULL,
        status                 text        NOT NULL,
        discharged_at          timestamptz,
        discharge_reason       text,
        referred_to            text[],
        created_by             text        NOT NULL,
        created_at             timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    // The rule "one active episode per client", held by the database even under concurrent admissions.
    await queryRunner.query(
      `CREATE UNIQUE INDEX episodes_one_active_idx ON ${S}.episodes (client_id) WHERE status = 'active'`,
    );
    await queryRunner.query(`
      CREATE TABLE ${S}.level_history (
        id                    uuid        PRIMARY KEY,
        episode_id            uuid        NOT NULL REFERENCES ${S}.episodes (id),
        kind                  text        NOT NULL CHECK (kind IN ('clinical', 'authorized')),
        from_level            text,
        to_level              text        NOT NULL,
        effective_at          timestamptz NOT NULL,
        reason_code           text        NOT NULL,
        decided_by            text        NOT NULL,
        recommendation_id     uuid,
        program_track_id      uuid,
        authorization_number  text,
        authorized_units      integer,
        authorized_from       date,
        authorized_to         date,
        recorded_at           timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(
      `CREATE INDEX level_history_episode_idx ON ${S}.level_history (episode_id, recorded_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['level_history', 'episodes', 'clients', 'referrals', 'program_tracks', 'sites']) {
      await queryRunner.query(`DROP TABLE ${S}.${table}`);
    }
  }
}
