import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  type AppointmentKind,
  type EventCause,
  type LevelOfCare,
  type Modality,
  type Population,
  type SessionType,
} from '@stepwise/contracts';
import { type PendingEvent, type Transaction, pendingEvent } from '@stepwise/messaging';
import {
  LEVEL_MINIMUMS_V1,
  type LocalDate,
  type PlannedSession,
  addDays,
  localDateOf,
  occurrencesOf,
  weekStartOf,
  weeklyMinimum,
  weeksBelowMinimum,
} from '@stepwise/care-rules';
import { table } from '../scheduling.schema';
import { CURRENT_HORIZON } from './horizon-policy';
import { SERIES_COLUMNS, SITE_COLUMNS, type SeriesRow, type SiteRow } from './schedule.rows';

const maxDate = (...dates: (LocalDate | null | undefined)[]): LocalDate =>
  dates.filter((d): d is LocalDate => typeof d === 'string').reduce((a, b) => (a > b ? a : b));

interface InsertedAppointment {
  id: string;
  occurrence_id: string;
  client_id: string;
  episode_id: string;
  site_id: string;
  starts_at: Date;
  ends_at: Date;
  kind: AppointmentKind;
  session_type: SessionType;
  modality: Modality;
  facilitator_id: string;
}

/** Which seats to fill with appointments: all of a site, or some enrollments, or some series. */
export interface SeatFilter {
  readonly enrollmentIds?: readonly string[];
  readonly seriesIds?: readonly string[];
  /**
   * Also book occurrences already past (from each member's joined date): a backdated admission, recorded
   * after the client started, gets the appointments they had. Only for filters naming enrollments.
   */
  readonly includePast?: boolean;
}

/**
 * Turns group series and seats into dated occurrences and appointments, in bulk: one statement per kind
 * of row, whatever the number of clients, so a site's horizon costs a handful of round trips.
 *
 * Occurrences define the horizon: a series has them up to its `generated_until`; every seated member gets
 * an appointment for each of its series' future occurrences from the day they joined (the unique key on
 * occurrence and client makes this idempotent). New appointments are announced with AppointmentScheduled.
 */
@Injectable()
export class ScheduleGenerator {
  async loadSite(tx: Transaction, siteId: string): Promise<SiteRow | undefined> {
    const [site] = await tx.manager.query<SiteRow[]>(
      `SELECT ${SITE_COLUMNS} FROM ${table('sites')} WHERE id = $1`,
      [siteId],
    );
    return site;
  }

  /** The end (exclusive) of the rolling horizon seen from `now` at a site. */
  horizonEnd(site: SiteRow, now: Date): LocalDate {
    return addDays(localDateOf(now, site.time_zone), CURRENT_HORIZON.days);
  }

  /**
   * Makes sure each active series of the site (or the given ones) has its occurrences until `until`,
   * skipping closures; answers the earliest previous `generated_until`, i.e. from where the site's
   * calendar is new.
   */
  async extendOccurrences(
    tx: Transaction,
    site: SiteRow,
    now: Date,
    until: LocalDate,
    seriesIds?: readonly string[],
    /** Also fill in past occurrences from this date (a backdated admission); today when absent. */
    backfillFrom?: LocalDate,
  ): Promise<LocalDate | null> {
    const today = localDateOf(now, site.time_zone);
    const series = await tx.manager.query<SeriesRow[]>(
      `SELECT ${SERIES_COLUMNS} FROM ${table('group_series')}
        WHERE site_id = $1 AND active ${seriesIds === undefined ? '' : 'AND id = ANY($2)'}
        ORDER BY id FOR UPDATE`,
      seriesIds === undefined ? [site.id] : [site.id, [...seriesIds]],
    );
    const closures = new Set(site.closures);
    const rows: { id: string; series: SeriesRow; localDate: string; startsAt: Date; endsAt: Date }[] = [];
    const extended: string[] = [];
    let previous: LocalDate | null = null;
    for (const s of series) {
      if (s.generated_until !== null && (previous === null || s.generated_until < previous)) {
        previous = s.generated_until;
      }
      const slot = { weekday: s.weekday, start: s.start_time, minutes: s.minutes };
      // The past is filled in only on request, and idempotently (the unique series/date key), whatever the
      // series' generated_until: it measures the horizon ahead, not what lies behind.
      const backFrom = backfillFrom === undefined ? undefined : maxDate(s.starts_on, backfillFrom);
      if (backFrom !== undefined && backFrom < today) {
        for (const o of occurrencesOf(slot, { from: backFrom, until: today }, site.time_zone, closures)) {
          rows.push({ id: randomUUID(), series: s, ...o });
        }
      }
      const from = maxDate(s.generated_until, s.starts_on, today);
      if (from >= until) continue;
      extended.push(s.id);
      for (const o of occurrencesOf(slot, { from, until }, site.time_zone, closures)) {
        rows.push({ id: randomUUID(), series: s, ...o });
      }
    }
    if (rows.length > 0) {
      await tx.manager.query(
        `INSERT INTO ${table('occurrences')}
           (id, series_id, site_id, kind, session_type, facilitator_id, room, video_link, modality, local_date,
            starts_at, ends_at)
         SELECT r.id, r.series_id, s.site_id, s.kind, s.session_type, s.facilitator_id, s.room, s.video_link,
                s.modality, r.local_date, r.starts_at, r.ends_at
           FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::timestamptz[], $5::timestamptz[])
                  AS r(id, series_id, local_date, starts_at, ends_at)
           JOIN ${table('group_series')} s ON s.id = r.series_id
         ON CONFLICT (series_id, local_date) DO NOTHING`,
        [
          rows.map((r) => r.id),
          rows.map((r) => r.series.id),
          rows.map((r) => r.localDate),
          rows.map((r) => r.startsAt.toISOString()),
          rows.map((r) => r.endsAt.toISOString()),
        ],
      );
    }
    if (extended.length > 0) {
      await tx.manager.query(`UPDATE ${table('group_series')} SET generated_until = $2 WHERE id = ANY($1)`, [
        extended,
        until,
      ]);
    }
    return previous;
  }

  /**
   * Gives every seated member (of the site, or of the filter) an appointment for each future occurrence of
   * their series not yet booked for them, and publishes AppointmentScheduled for each new one.
   */
  async fillSeats(
    tx: Transaction,
    siteId: string,
    now: Date,
    filter: SeatFilter = {},
    cause?: EventCause,
  ): Promise<number> {
    const past = filter.includePast === true && filter.enrollmentIds !== undefined;
    const params: unknown[] = [siteId, past ? new Date(0).toISOString() : now.toISOString()];
    let where = '';
    if (filter.enrollmentIds !== undefined) {
      params.push([...filter.enrollmentIds]);
      where += ` AND m.enrollment_id = ANY($${params.length})`;
    }
    if (filter.seriesIds !== undefined) {
      params.push([...filter.seriesIds]);
      where += ` AND m.series_id = ANY($${params.length})`;
    }
    // A site's few hundred rows are an OLTP-sized statement: compiling it with JIT (when a large table's cost
    // estimate crosses jit_above_cost) costs more than it runs. Transaction-scoped.
    await tx.manager.query('SET LOCAL jit = off');
    // The candidates carry what the events need, so nothing is joined back to the (large) occurrences table.
    const inserted = await tx.manager.query<InsertedAppointment[]>(
      `WITH candidates AS MATERIALIZED (
         SELECT gen_random_uuid() AS id, o.id AS occurrence_id, m.enrollment_id, m.client_id, m.episode_id,
                o.site_id, o.starts_at, o.ends_at, o.kind, o.session_type, o.modality, o.facilitator_id
           FROM ${table('group_series')} g
           JOIN ${table('series_members')} m ON m.series_id = g.id AND m.status = 'seated'
           JOIN ${table('occurrences')} o ON o.series_id = g.id AND o.local_date >= m.joined_on
          WHERE g.site_id = $1 AND g.active AND o.status = 'scheduled' AND o.starts_at >= $2 ${where}),
       inserted AS (
         INSERT INTO ${table('appointments')}
           (id, occurrence_id, enrollment_id, client_id, episode_id, site_id, starts_at, ends_at)
         SELECT id, occurrence_id, enrollment_id, client_id, episode_id, site_id, starts_at, ends_at FROM candidates
         ON CONFLICT (occurrence_id, client_id) DO NOTHING
         RETURNING id)
       SELECT c.* FROM candidates c WHERE c.id IN (SELECT id FROM inserted)
        ORDER BY c.client_id, c.starts_at`,
      params,
    );
    const options = cause === undefined ? undefined : { causedBy: cause };
    await tx.publishAll(
      inserted.map((a) =>
        pendingEvent(
          'AppointmentScheduled',
          {
            appointmentId: a.id,
            clientId: a.client_id,
            episodeId: a.episode_id,
            kind: a.kind,
            sessionType: a.session_type,
            occurrenceId: a.occurrence_id,
            siteId: a.site_id,
            startsAt: a.starts_at.toISOString(),
            endsAt: a.ends_at.toISOString(),
            modality: a.modality,
            facilitatorId: a.facilitator_id,
          },
          options,
        ),
      ),
    );
    return inserted.length;
  }

  /**
   * Judges the complete ISO weeks of the planned schedule (of the site's active enrollments, or the given
   * ones) starting on or after `from` and ending by `until` against the level minimum, once per episode and week
   * (ScheduleBelowLevelMinimum).
   */
  async checkLevelMinimums(
    tx: Transaction,
    site: SiteRow,
    window: { readonly from: LocalDate; readonly until: LocalDate },
    enrollmentIds?: readonly string[],
    cause?: EventCause,
  ): Promise<number> {
    const weekFrom = weekStartOf(window.from);
    if (addDays(weekFrom, 7) > window.until) return 0;
    const params: unknown[] = [site.id, weekFrom, window.until];
    if (enrollmentIds !== undefined) params.push([...enrollmentIds]);
    const rows = await tx.manager.query<
      {
        id: string;
        episode_id: string;
        client_id: string;
        level_of_care: LevelOfCare;
        population: Population;
        starts_on: string;
        local_date: string | null;
        minutes: number | null;
      }[]
    >(
      // Summed per ISO week in SQL (date_trunc('week') is the Monday): a few rows per client, not one per session.
      `SELECT e.id, e.episode_id, e.client_id, e.level_of_care, e.population, e.starts_on::text AS starts_on,
              w.week::text AS local_date, w.minutes
         FROM ${table('enrollments')} e
         LEFT JOIN LATERAL (
              SELECT date_trunc('week', o.local_date)::date AS week,
                     sum(extract(epoch FROM a.ends_at - a.starts_at) / 60)::int AS minutes
                FROM ${table('appointments')} a
                JOIN ${table('occurrences')} o ON o.id = a.occurrence_id
               WHERE a.enrollment_id = e.id AND a.status = 'scheduled'
                 AND o.local_date >= $2 AND o.local_date < $3
               GROUP BY 1) w ON true
        WHERE e.site_id = $1 AND e.status = 'active' ${enrollmentIds === undefined ? '' : 'AND e.id = ANY($4)'}`,
      params,
    );
    const byEnrollment = new Map<string, { row: (typeof rows)[number]; sessions: PlannedSession[] }>();
    for (const row of rows) {
      const entry = byEnrollment.get(row.id) ?? { row, sessions: [] };
      if (row.local_date !== null && row.minutes !== null) {
        entry.sessions.push({ localDate: row.local_date, minutes: row.minutes });
      }
      byEnrollment.set(row.id, entry);
    }
    const flags: { episodeId: string; clientId: string; level: LevelOfCare; population: Population }[] = [];
    const weeks: { weekStart: string; plannedMinutes: number; requiredMinutes: number }[] = [];
    for (const { row, sessions } of byEnrollment.values()) {
      const required = weeklyMinimum(LEVEL_MINIMUMS_V1, row.level_of_care, row.population);
      // Weeks before `from` were (or will be) judged by an earlier run, or were only partly planned.
      const judged = { enrolledFrom: maxDate(row.starts_on, window.from), plannedUntil: window.until };
      for (const week of weeksBelowMinimum(sessions, judged, required)) {
        flags.push({
          episodeId: row.episode_id,
          clientId: row.client_id,
          level: row.level_of_care,
          population: row.population,
        });
        weeks.push(week);
      }
    }
    if (flags.length === 0) return 0;
    const recorded = await tx.manager.query<{ episode_id: string; week_start: string }[]>(
      `INSERT INTO ${table('level_minimum_flags')} (episode_id, week_start, planned_minutes, required_minutes, rule_set_id)
       SELECT * FROM unnest($1::uuid[], $2::date[], $3::int[], $4::int[], $5::text[])
       ON CONFLICT DO NOTHING RETURNING episode_id, week_start::text AS week_start`,
      [
        flags.map((f) => f.episodeId),
        weeks.map((w) => w.weekStart),
        weeks.map((w) => w.plannedMinutes),
        weeks.map((w) => w.requiredMinutes),
        flags.map(() => LEVEL_MINIMUMS_V1.version),
      ],
    );
    const fresh = new Set(recorded.map((r) => `${r.episode_id}/${r.week_start}`));
    const events: PendingEvent[] = [];
    flags.forEach((flag, index) => {
      const week = weeks[index];
      if (week === undefined || !fresh.has(`${flag.episodeId}/${week.weekStart}`)) return;
      events.push(
        pendingEvent(
          'ScheduleBelowLevelMinimum',
          {
            clientId: flag.clientId,
            episodeId: flag.episodeId,
            siteId: site.id,
            weekStart: week.weekStart,
            plannedMinutes: week.plannedMinutes,
            requiredMinutes: week.requiredMinutes,
            levelOfCare: flag.level,
            population: flag.population,
          },
          cause === undefined ? undefined : { causedBy: cause },
        ),
      );
    });
    await tx.publishAll(events);
    return events.length;
  }
}
