import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  type CancellationReason,
  type LevelOfCare,
  type Population,
  type SessionType,
  type Weekday,
} from '@stepwise/contracts';
import { type LocalDate } from '@stepwise/care-rules';
import { type EntityManager } from 'typeorm';
import { table } from '../scheduling.schema';
import { SERIES_COLUMNS } from '../schedule/schedule.repository';
import { type EnrollmentRow, type SeriesRow } from '../schedule/schedule.rows';
import { type BusySlot, type WeeklyPatternSlot } from './individual-slot';

const ENROLLMENT_COLUMNS = `id, episode_id, client_id, site_id, program_track_id, level_of_care, population,
  primary_counselor_id, starts_on::text AS starts_on, status`;

/** A program track as enrolling needs it. */
export interface EnrollmentTrack {
  id: string;
  site_id: string;
  modality: string;
  weekly_pattern: WeeklyPatternSlot[];
  active: boolean;
}

export interface NewEnrollmentRow {
  readonly episodeId: string;
  readonly clientId: string;
  readonly siteId: string;
  readonly programTrackId: string;
  readonly levelOfCare: LevelOfCare;
  readonly population: Population;
  readonly primaryCounselorId: string;
  readonly startsOn: string;
}

/** A group series of a track with its current seats taken and waitlist length. */
export type TrackSeries = SeriesRow & { seated: number; waiting: number };

/** A client's weekly individual counseling series with their primary counselor. */
export interface NewIndividualSeries {
  readonly id: string;
  readonly siteId: string;
  readonly programTrackId: string;
  readonly sessionType: SessionType;
  readonly weekday: Weekday;
  readonly start: string;
  readonly minutes: number;
  readonly facilitatorId: string;
  readonly modality: string;
  readonly startsOn: LocalDate;
}

/** A seat or waitlist place an enrollment gave up, and what it was. */
export interface LeftMembership {
  series_id: string;
  kind: string;
  was: string;
}

/** An appointment cancelled in bulk, with what its AppointmentCancelled needs. */
export interface CancelledAppointment {
  id: string;
  client_id: string;
  episode_id: string;
  site_id: string;
}

/** Which scheduled appointments of an episode to cancel: from an instant, optionally of one series only. */
export interface AppointmentScope {
  readonly episodeId: string;
  readonly from: Date;
  readonly seriesId?: string;
}

/**
 * All SQL of enrollments and what they hold: the enrollment rows, seats and waitlist places in series, the
 * individual series of a client, and the bulk cancellation of an episode's appointments when it leaves.
 */
@Injectable()
export class EnrollmentRepository {
  /** Whether the episode was ever enrolled (an admission is applied once). */
  async hasEnrollment(manager: EntityManager, episodeId: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `SELECT 1 FROM ${table('enrollments')} WHERE episode_id = $1 LIMIT 1`,
      [episodeId],
    );
    return rows.length > 0;
  }

  /** The episode's active enrollment, locked. */
  async lockActive(manager: EntityManager, episodeId: string): Promise<EnrollmentRow | undefined> {
    const [row] = await manager.query<EnrollmentRow[]>(
      `SELECT ${ENROLLMENT_COLUMNS} FROM ${table('enrollments')} WHERE episode_id = $1 AND status = 'active' FOR UPDATE`,
      [episodeId],
    );
    return row;
  }

  async setLevel(manager: EntityManager, enrollmentId: string, level: LevelOfCare): Promise<void> {
    await manager.query(`UPDATE ${table('enrollments')} SET level_of_care = $2 WHERE id = $1`, [
      enrollmentId,
      level,
    ]);
  }

  /** Ends an enrollment: `moved` to another track or `discharged`. */
  async end(
    manager: EntityManager,
    enrollmentId: string,
    status: 'moved' | 'discharged',
    at: Date,
  ): Promise<void> {
    await manager.query(`UPDATE ${table('enrollments')} SET status = $3, ended_at = $2 WHERE id = $1`, [
      enrollmentId,
      at.toISOString(),
      status,
    ]);
  }

  async track(manager: EntityManager, trackId: string): Promise<EnrollmentTrack | undefined> {
    const [track] = await manager.query<EnrollmentTrack[]>(
      `SELECT id, site_id, modality, weekly_pattern, active FROM ${table('program_tracks')} WHERE id = $1`,
      [trackId],
    );
    return track;
  }

  async insert(manager: EntityManager, e: NewEnrollmentRow): Promise<EnrollmentRow> {
    const [enrollment] = await manager.query<EnrollmentRow[]>(
      `INSERT INTO ${table('enrollments')}
         (id, episode_id, client_id, site_id, program_track_id, level_of_care, population, primary_counselor_id,
          starts_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${ENROLLMENT_COLUMNS}`,
      [
        randomUUID(),
        e.episodeId,
        e.clientId,
        e.siteId,
        e.programTrackId,
        e.levelOfCare,
        e.population,
        e.primaryCounselorId,
        e.startsOn,
      ],
    );
    if (enrollment === undefined) throw new Error('enrollment insert returned nothing');
    return enrollment;
  }

  /** The track's active group series with their seats taken and waitlist lengths, locked, in slot order. */
  lockTrackSeries(manager: EntityManager, trackId: string): Promise<TrackSeries[]> {
    return manager.query<TrackSeries[]>(
      `SELECT ${SERIES_COLUMNS},
              (SELECT count(*)::int FROM ${table('series_members')} m WHERE m.series_id = s.id AND m.status = 'seated') AS seated,
              (SELECT count(*)::int FROM ${table('series_members')} m WHERE m.series_id = s.id AND m.status = 'waitlisted') AS waiting
         FROM ${table('group_series')} s
        WHERE program_track_id = $1 AND kind = 'group' AND active
        ORDER BY weekday, start_time, session_type, created_at, id
        FOR UPDATE`,
      [trackId],
    );
  }

  /** The weekly slots the staff member facilitates (any site, an active series each), locked. */
  lockFacilitatorSlots(manager: EntityManager, staffId: string): Promise<BusySlot[]> {
    return manager.query<BusySlot[]>(
      `SELECT weekday, start_time, minutes FROM ${table('group_series')}
        WHERE facilitator_id = $1 AND active
        FOR UPDATE`,
      [staffId],
    );
  }

  async insertIndividualSeries(manager: EntityManager, s: NewIndividualSeries): Promise<void> {
    await manager.query(
      `INSERT INTO ${table('group_series')}
         (id, site_id, program_track_id, kind, session_type, weekday, start_time, minutes, facilitator_id,
          modality, capacity, starts_on)
       VALUES ($1, $2, $3, 'individual', $4, $5, $6, $7, $8, $9, 1, $10)`,
      [
        s.id,
        s.siteId,
        s.programTrackId,
        s.sessionType,
        s.weekday,
        s.start,
        s.minutes,
        s.facilitatorId,
        s.modality,
        s.startsOn,
      ],
    );
  }

  /**
   * Seats the enrollment in `seats` from its start date and puts it last on the waitlist of each of `waits`
   * (at `now`), in one statement.
   */
  async addMemberships(
    manager: EntityManager,
    enrollment: EnrollmentRow,
    places: { readonly seats: readonly string[]; readonly waits: readonly string[] },
    now: Date,
  ): Promise<void> {
    const ids = [...places.seats, ...places.waits];
    await manager.query(
      `INSERT INTO ${table('series_members')}
         (id, series_id, enrollment_id, client_id, episode_id, status, position, joined_on, waitlisted_at)
       SELECT gen_random_uuid(), r.series_id, $1, $2, $3, r.status,
              CASE WHEN r.status = 'waitlisted'
                   THEN (SELECT coalesce(max(position), 0) + 1 FROM ${table('series_members')} w WHERE w.series_id = r.series_id)
              END,
              CASE WHEN r.status = 'seated' THEN $4::date END,
              CASE WHEN r.status = 'waitlisted' THEN $5::timestamptz END
         FROM unnest($6::uuid[], $7::text[]) AS r(series_id, status)`,
      [
        enrollment.id,
        enrollment.client_id,
        enrollment.episode_id,
        enrollment.starts_on,
        now.toISOString(),
        ids,
        ids.map((_, i) => (i < places.seats.length ? 'seated' : 'waitlisted')),
      ],
    );
  }

  /** Ends every seat and waitlist place of the enrollment at `now`; answers what each was. */
  async leaveAll(manager: EntityManager, enrollmentId: string, now: Date): Promise<LeftMembership[]> {
    // UPDATE … RETURNING answers [rows, affected count] through TypeORM.
    const [left] = await manager.query<[LeftMembership[], number]>(
      `WITH before AS (
         SELECT m.id, m.status, s.kind FROM ${table('series_members')} m
           JOIN ${table('group_series')} s ON s.id = m.series_id
          WHERE m.enrollment_id = $1 AND m.status IN ('seated', 'waitlisted')
          FOR UPDATE OF m)
       UPDATE ${table('series_members')} m SET status = 'left', left_at = $2
         FROM before WHERE m.id = before.id
       RETURNING m.series_id, before.kind, before.status AS was`,
      [enrollmentId, now.toISOString()],
    );
    return left;
  }

  /** Retires series (a client's individual ones): inactive, their occurrences from `from` cancelled. */
  async retireSeries(manager: EntityManager, seriesIds: readonly string[], from: Date): Promise<void> {
    if (seriesIds.length === 0) return;
    await manager.query(`UPDATE ${table('group_series')} SET active = false WHERE id = ANY($1)`, [seriesIds]);
    await manager.query(
      `UPDATE ${table('occurrences')} SET status = 'cancelled' WHERE series_id = ANY($1) AND starts_at >= $2`,
      [seriesIds, from.toISOString()],
    );
  }

  /** Cancels the episode's scheduled appointments in scope, in one statement; answers them. */
  async cancelAppointments(
    manager: EntityManager,
    scope: AppointmentScope,
    reason: CancellationReason,
    now: Date,
  ): Promise<CancelledAppointment[]> {
    const params: unknown[] = [scope.episodeId, scope.from.toISOString(), reason, now.toISOString()];
    if (scope.seriesId !== undefined) params.push(scope.seriesId);
    const [cancelled] = await manager.query<[CancelledAppointment[], number]>(
      `UPDATE ${table('appointments')} a SET status = 'cancelled', cancel_reason = $3, updated_at = $4
        WHERE a.episode_id = $1 AND a.status = 'scheduled' AND a.starts_at >= $2
          ${scope.seriesId === undefined ? '' : `AND a.occurrence_id IN (SELECT id FROM ${table('occurrences')} WHERE series_id = $5)`}
        RETURNING a.id, a.client_id, a.episode_id, a.site_id`,
      params,
    );
    return cancelled;
  }

  /** The capacity and seats taken of an active series, locked; undefined for an unknown or retired one. */
  async lockSeats(
    manager: EntityManager,
    seriesId: string,
  ): Promise<{ capacity: number; seated: number } | undefined> {
    const [series] = await manager.query<{ capacity: number; seated: number }[]>(
      `SELECT capacity,
              (SELECT count(*)::int FROM ${table('series_members')} m WHERE m.series_id = s.id AND m.status = 'seated') AS seated
         FROM ${table('group_series')} s WHERE id = $1 AND active FOR UPDATE`,
      [seriesId],
    );
    return series;
  }

  /**
   * Seats the first `seats` waiting members of the series in waitlist order, from `today` (or their
   * enrollment's start, if later); answers their enrollments.
   */
  async seatFromWaitlist(
    manager: EntityManager,
    seriesId: string,
    seats: number,
    today: LocalDate,
  ): Promise<string[]> {
    const [promoted] = await manager.query<[{ enrollment_id: string }[], number]>(
      `UPDATE ${table('series_members')} m
          SET status = 'seated', joined_on = greatest($3::date, e.starts_on)
         FROM ${table('enrollments')} e
        WHERE e.id = m.enrollment_id AND m.id IN (
              SELECT w.id FROM ${table('series_members')} w
               WHERE w.series_id = $1 AND w.status = 'waitlisted'
               ORDER BY w.position LIMIT $2 FOR UPDATE)
        RETURNING m.enrollment_id`,
      [seriesId, seats, today],
    );
    return promoted.map((p) => p.enrollment_id);
  }
}
