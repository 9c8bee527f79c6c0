import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { SCHEDULING_SCHEMA } from '../scheduling.schema';

const S = `"${SCHEDULING_SCHEMA}"`;

/**
 * Reference data (sites, program tracks, staff with their contact details), group series, occurrences
 * (one dated meeting of a series, or an ad-hoc individual/family session), enrollments, seats and
 * waitlists, appointments, and the weeks already flagged below the level minimum.
 */
export class CreateSchedulingTables1764000000000 implements MigrationInterface {
  name = 'CreateSchedulingTables1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ${S}."sites" (
        id          uuid        PRIMARY KEY,
        network_id  uuid        NOT NULL,
        name        text        NOT NULL,
        time_zone   text        NOT NULL,
        closures    date[]      NOT NULL DEFAULT '{}',
        active      boolean     NOT NULL,
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE ${S}."program_tracks" (
        id              uuid        PRIMARY KEY,
        site_id         uuid        NOT NULL REFERENCES ${S}."sites" (id),
        name            text        NOT NULL,
        level_of_care   text        NOT NULL,
        population      text        NOT NULL,
        modality        text        NOT NULL,
        weekly_pattern  jsonb       NOT NULL,
        active          boolean     NOT NULL,
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "program_tracks_site_idx" ON ${S}."program_tracks" (site_id)`);
    await queryRunner.query(`
      CREATE TABLE ${S}."staff_members" (
        id                  uuid        PRIMARY KEY,
        network_id          uuid        NOT NULL,
        site_ids            uuid[]      NOT NULL,
        roles               text[]      NOT NULL,
        display_name        text        NOT NULL,
        email               text,
        phone               text,
        time_zone           text        NOT NULL,
        preferred_language  text        NOT NULL,
        active              boolean     NOT NULL,
        updated_at          timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE ${S}."group_series" (
        id                uuid        PRIMARY KEY,
        site_id           uuid        NOT NULL REFERENCES ${S}."sites" (id),
        program_track_id  uuid        REFERENCES ${S}."program_tracks" (id),
        kind              text        NOT NULL,
        session_type      text        NOT NULL,
        weekday           text        NOT NULL,
        start_time        text        NOT NULL,
        minutes           integer     NOT NULL,
        facilitator_id    uuid        NOT NULL REFERENCES ${S}."staff_members" (id),
        room              text,
        video_link        text,
        modality          text        NOT NULL,
        capacity          integer     NOT NULL,
        starts_on         date        NOT NULL,
        active            boolean     NOT NULL DEFAULT true,
        generated_until   date,
        created_at        timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX "group_series_site_idx" ON ${S}."group_series" (site_id) WHERE active`,
    );
    await queryRunner.query(
      `CREATE INDEX "group_series_track_idx" ON ${S}."group_series" (program_track_id) WHERE active`,
    );
    await queryRunner.query(
      `CREATE INDEX "group_series_facilitator_idx" ON ${S}."group_series" (facilitator_id, weekday) WHERE active`,
    );
    await queryRunner.query(`
      CREATE TABLE ${S}."occurrences" (
        id              uuid        PRIMARY KEY,
        series_id       uuid        REFERENCES ${S}."group_series" (id),
        site_id         uuid        NOT NULL,
        kind            text        NOT NULL,
        session_type    text        NOT NULL,
        facilitator_id  uuid        NOT NULL,
        room            text,
        video_link      text,
        modality        text        NOT NULL,
        local_date      date        NOT NULL,
        starts_at       timestamptz NOT NULL,
        ends_at         timestamptz NOT NULL,
        status          text        NOT NULL DEFAULT 'scheduled',
        CHECK (ends_at > starts_at)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "occurrences_series_date_key" ON ${S}."occurrences" (series_id, local_date)`,
    );
    await queryRunner.query(
      `CREATE INDEX "occurrences_site_idx" ON ${S}."occurrences" (site_id, starts_at, id)`,
    );
    await queryRunner.query(
      `CREATE INDEX "occurrences_facilitator_idx" ON ${S}."occurrences" (facilitator_id, starts_at, id)`,
    );
    await queryRunner.query(`
      CREATE TABLE ${S}."enrollments" (
        id                    uuid        PRIMARY KEY,
        episode_id            uuid        NOT NULL,
        client_id             uuid        NOT NULL,
        site_id               uuid        NOT NULL,
        program_track_id      uuid        NOT NULL REFERENCES ${S}."program_tracks" (id),
        level_of_care         text        NOT NULL,
        population            text        NOT NULL,
        primary_counselor_id  uuid        NOT NULL,
        starts_on             date        NOT NULL,
        status                text        NOT NULL DEFAULT 'active',
        ended_at              timestamptz,
        created_at            timestamptz NOT NULL DEFAULT now()
      )`);
    // One active enrollment per episode: a redelivered admission or level change cannot enroll twice.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "enrollments_active_episode_key" ON ${S}."enrollments" (episode_id) WHERE status = 'active'`,
    );
    await queryRunner.query(`CREATE INDEX "enrollments_client_idx" ON ${S}."enrollments" (client_id)`);
    await queryRunner.query(`
      CREATE TABLE ${S}."series_members" (
        id             uuid        PRIMARY KEY,
        series_id      uuid        NOT NULL REFERENCES ${S}."group_series" (id),
        enrollment_id  uuid        NOT NULL REFERENCES ${S}."enrollments" (id),
        client_id      uuid        NOT NULL,
        episode_id     uuid        NOT NULL,
        status         text        NOT NULL,
        position       bigint,
        joined_on      date,
        waitlisted_at  timestamptz,
        left_at        timestamptz,
        UNIQUE (series_id, enrollment_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX "series_members_seated_idx" ON ${S}."series_members" (series_id) WHERE status = 'seated'`,
    );
    await queryRunner.query(
      `CREATE INDEX "series_members_waiting_idx" ON ${S}."series_members" (series_id, position) WHERE status = 'waitlisted'`,
    );
    await queryRunner.query(
      `CREATE INDEX "series_members_enrollment_idx" ON ${S}."series_members" (enrollment_id)`,
    );
    await queryRunner.query(`
      CREATE TABLE ${S}."appointments" (
        id              uuid        PRIMARY KEY,
        occurrence_id   uuid        NOT NULL REFERENCES ${S}."occurrences" (id),
        enrollment_id   uuid,
        client_id       uuid        NOT NULL,
        episode_id      uuid        NOT NULL,
        site_id         uuid        NOT NULL,
        starts_at       timestamptz NOT NULL,
        ends_at         timestamptz NOT NULL,
        status          text        NOT NULL DEFAULT 'scheduled',
        cancel_reason   text,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at > starts_at)
      )`);
    // A client has at most one appointment per occurrence: regenerating a horizon never duplicates one.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "appointments_occurrence_client_key" ON ${S}."appointments" (occurrence_id, client_id)`,
    );
    await queryRunner.query(
      `CREATE INDEX "appointments_client_idx" ON ${S}."appointments" (client_id, starts_at, id)`,
    );
    await queryRunner.query(`
      CREATE TABLE ${S}."level_minimum_flags" (
        episode_id        uuid    NOT NULL,
        week_start        date    NOT NULL,
        planned_minutes   integer NOT NULL,
        required_minutes  integer NOT NULL,
        rule_set_id       text    NOT NULL,
        PRIMARY KEY (episode_id, week_start)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'level_minimum_flags',
      'appointments',
      'series_members',
      'enrollments',
      'occurrences',
      'group_series',
      'staff_members',
      'program_tracks',
      'sites',
    ]) {
      await queryRunner.query(`DROP TABLE ${S}."${table}"`);
    }
  }
}
