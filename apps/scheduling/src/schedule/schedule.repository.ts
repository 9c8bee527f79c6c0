import { Injectable } from '@nestjs/common';
import {
  type AppointmentKind,
  type LevelOfCare,
  type Modality,
  type Population,
  type ProgramShapeBreach,
  type SessionType,
} from '@stepwise/contracts';
import { type LocalDate } from '@stepwise/care-rules';
import { DataSource, type EntityManager } from 'typeorm';
import { table } from '../scheduling.schema';
import { type SeriesRow, type SiteRow } from './schedule.rows';

const SITE_COLUMNS = `id, network_id, time_zone, closures::text[] AS closures, active`;
export const SERIES_COLUMNS = `id, site_id, program_track_id, kind, session_type, weekday, start_time, minutes,
  facilitator_id, room, video_link, modality, capacity, starts_on::text AS starts_on,
  generated_until::text AS generated_until`;

/** A dated session of a series, to be stored (its other columns are the series'). */
export interface NewOccurrence {
  readonly id: string;
  readonly seriesId: string;
  readonly localDate: LocalDate;
  readonly startsAt: Date;
  readonly endsAt: Date;
}

/** An appointment the seats produced, with what its AppointmentScheduled needs. */
export interface BookedSeat {
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

/** Which seats to book: some enrollments and/or some series of a site, from an instant. */
export interface SeatScope {
  readonly siteId: string;
  readonly from: Date;
  readonly enrollmentIds?: readonly string[];
  readonly seriesIds?: readonly string[];
}

/**
 * An active enrollment of a site with its planned minutes of one ISO week (`week_start` the Monday), or with
 * nulls when it has nothing planned in the window.
 */
export interface PlannedWeek {
  id: string;
  episode_id: string;
  client_id: string;
  level_of_care: LevelOfCare;
  population: Population;
  starts_on: LocalDate;
  week_start: LocalDate | null;
  minutes: number | null;
  /** Distinct local dates with a planned session that week. */
  days: number | null;
}

/** A week of an episode planned below its level's minimum, as `level_minimum_flags` records it. */
export interface LevelFlag {
  readonly episodeId: string;
  readonly weekStart: LocalDate;
  readonly plannedMinutes: number;
  readonly requiredMinutes: number;
  readonly ruleSetId: string;
}

/** A week of an episode planned outside its level's program shape, as `program_shape_flags` records it. */
export interface ShapeFlag {
  readonly episodeId: string;
  readonly weekStart: LocalDate;
  readonly plannedMinutes: number;
  readonly plannedDays: number;
  readonly breaches: readonly ProgramShapeBreach[];
  readonly ruleSetId: string;
}

/**
 * All SQL of the generated schedule: sites as the generator reads them, series' occurrences up to the horizon,
 * seats turned into appointments and the level-minimum flags. The writes are bulk (one statement per kind of
 * row, whatever the number of clients), so a site's horizon costs a handful of round trips.
 */
@Injectable()
export class ScheduleRepository {
  constructor(private readonly dataSource: DataSource) {}

  async site(manager: EntityManager, siteId: string): Promise<SiteRow | undefined> {
    const [site] = await manager.query<SiteRow[]>(
      `SELECT ${SITE_COLUMNS} FROM ${table('sites')} WHERE id = $1`,
      [siteId],
    );
    return site;
  }

  async activeSiteIds(manager: EntityManager): Promise<string[]> {
    const sites = await manager.query<{ id: string }[]>(
      `SELECT id FROM ${table('sites')} WHERE active ORDER BY id`,
    );
    return sites.map((s) => s.id);
  }

  /**
   * Runs `work` holding a session advisory lock on `key` on a connection of its own (answers undefined,
   * without running it, when another process holds the lock), so one replica at a time runs it.
   */
  async exclusively<T>(key: string, work: (manager: EntityManager) => Promise<T>): Promise<T | undefined> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [lock] = (await runner.query('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [
        key,
      ])) as { locked: boolean }[];
      if (lock?.locked !== true) return undefined;
      try {
        return await work(runner.manager);
      } finally {
        await runner.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
      }
    } finally {
      await runner.release();
    }
  }

  /** The active series of a site (or the given ones of it), locked in id order. */
  lockActiveSeries(
    manager: EntityManager,
    siteId: string,
    seriesIds?: readonly string[],
  ): Promise<SeriesRow[]> {
    return manager.query<SeriesRow[]>(
      `SELECT ${SERIES_COLUMNS} FROM ${table('group_series')}
        WHERE site_id = $1 AND active ${seriesIds === undefined ? '' : 'AND id = ANY($2)'}
        ORDER BY id FOR UPDATE`,
      seriesIds === undefined ? [siteId] : [siteId, [...seriesIds]],
    );
  }

  /** Stores occurrences in one statement; one already there for its series and date is kept. */
  async insertOccurrences(manager: EntityManager, rows: readonly NewOccurrence[]): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(
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
        rows.map((r) => r.seriesId),
        rows.map((r) => r.localDate),
        rows.map((r) => r.startsAt.toISOString()),
        rows.map((r) => r.endsAt.toISOString()),
      ],
    );
  }

  async markGeneratedUntil(
    manager: EntityManager,
    seriesIds: readonly string[],
    until: LocalDate,
  ): Promise<void> {
    if (seriesIds.length === 0) return;
    await manager.query(`UPDATE ${table('group_series')} SET generated_until = $2 WHERE id = ANY($1)`, [
      seriesIds,
      until,
    ]);
  }

  /**
   * Gives every seated member in scope an appointment for each scheduled occurrence of their series from
   * `from` and from the day they joined, unless they have one (the unique occurrence/client key); answers
   * the new ones by client and start.
   */
  async bookSeats(manager: EntityManager, scope: SeatScope): Promise<BookedSeat[]> {
    const params: unknown[] = [scope.siteId, scope.from.toISOString()];
    let where = '';
    if (scope.enrollmentIds !== undefined) {
      params.push([...scope.enrollmentIds]);
      where += ` AND m.enrollment_id = ANY($${params.length})`;
    }
    if (scope.seriesIds !== undefined) {
      params.push([...scope.seriesIds]);
      where += ` AND m.series_id = ANY($${params.length})`;
    }
    // A site's few hundred rows are an OLTP-sized statement: compiling it with JIT (when a large table's cost
    // estimate crosses jit_above_cost) costs more than it runs. Transaction-scoped.
    // And by index: a network's first horizon fills these tables while their statistics still say empty (the
    // schema was analysed before any row; autovacuum comes by minutes later), which plans a scan of every
    // site's occurrences for each site; the statement is built on the site's own series and seats.
    await manager.query('SET LOCAL jit = off; SET LOCAL enable_seqscan = off');
    // The candidates carry what the events need, so nothing is joined back to the (large) occurrences table.
    return manager.query<BookedSeat[]>(
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
  }

  /**
   * The planned minutes per ISO week from `weekFrom` (a Monday) until `until` of the site's active
   * enrollments (or the given ones): a few rows per client, not one per session.
   */
  plannedWeeks(
    manager: EntityManager,
    siteId: string,
    window: { readonly weekFrom: LocalDate; readonly until: LocalDate },
    enrollmentIds?: readonly string[],
  ): Promise<PlannedWeek[]> {
    const params: unknown[] = [siteId, window.weekFrom, window.until];
    if (enrollmentIds !== undefined) params.push([...enrollmentIds]);
    // Summed per ISO week in SQL (date_trunc('week') is the Monday).
    return manager.query<PlannedWeek[]>(
      `SELECT e.id, e.episode_id, e.client_id, e.level_of_care, e.population, e.starts_on::text AS starts_on,
              w.week::text AS week_start, w.minutes, w.days
         FROM ${table('enrollments')} e
         LEFT JOIN LATERAL (
              SELECT date_trunc('week', o.local_date)::date AS week,
                     sum(extract(epoch FROM a.ends_at - a.starts_at) / 60)::int AS minutes,
                     count(DISTINCT o.local_date)::int AS days
                FROM ${table('appointments')} a
                JOIN ${table('occurrences')} o ON o.id = a.occurrence_id
               WHERE a.enrollment_id = e.id AND a.status = 'scheduled'
                 AND o.local_date >= $2 AND o.local_date < $3
               GROUP BY 1) w ON true
        WHERE e.site_id = $1 AND e.status = 'active' ${enrollmentIds === undefined ? '' : 'AND e.id = ANY($4)'}`,
      params,
    );
  }

  /** Records the flags in one statement; answers `episodeId/weekStart` of those not recorded before. */
  async recordLevelFlags(manager: EntityManager, flags: readonly LevelFlag[]): Promise<Set<string>> {
    if (flags.length === 0) return new Set();
    const recorded = await manager.query<{ episode_id: string; week_start: string }[]>(
      `INSERT INTO ${table('level_minimum_flags')} (episode_id, week_start, planned_minutes, required_minutes, rule_set_id)
       SELECT * FROM unnest($1::uuid[], $2::date[], $3::int[], $4::int[], $5::text[])
       ON CONFLICT DO NOTHING RETURNING episode_id, week_start::text AS week_start`,
      [
        flags.map((f) => f.episodeId),
        flags.map((f) => f.weekStart),
        flags.map((f) => f.plannedMinutes),
        flags.map((f) => f.requiredMinutes),
        flags.map((f) => f.ruleSetId),
      ],
    );
    return new Set(recorded.map((r) => `${r.episode_id}/${r.week_start}`));
  }

  /** Records the shape flags in one statement; answers `episodeId/weekStart` of those not recorded before. */
  async recordShapeFlags(manager: EntityManager, flags: readonly ShapeFlag[]): Promise<Set<string>> {
    if (flags.length === 0) return new Set();
    const recorded = await manager.query<{ episode_id: string; week_start: string }[]>(
      `INSERT INTO ${table('program_shape_flags')}
         (episode_id, week_start, planned_minutes, planned_days, breaches, rule_set_id)
       SELECT e, w, m, d, string_to_array(b, ','), r
         FROM unnest($1::uuid[], $2::date[], $3::int[], $4::int[], $5::text[], $6::text[]) AS f(e, w, m, d, b, r)
       ON CONFLICT DO NOTHING RETURNING episode_id, week_start::text AS week_start`,
      [
        flags.map((f) => f.episodeId),
        flags.map((f) => f.weekStart),
        flags.map((f) => f.plannedMinutes),
        flags.map((f) => f.plannedDays),
        flags.map((f) => f.breaches.join(',')),
        flags.map((f) => f.ruleSetId),
      ],
    );
    return new Set(recorded.map((r) => `${r.episode_id}/${r.week_start}`));
  }
}
