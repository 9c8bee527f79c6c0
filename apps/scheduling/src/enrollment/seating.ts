import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  CancellationReason,
  type EventCause,
  type SessionType,
  type Weekday,
  SessionType as SessionTypes,
} from '@stepwise/contracts';
import { type PendingEvent, type Transaction, pendingEvent } from '@stepwise/messaging';
import { type LocalDate, localDateOf } from '@stepwise/care-rules';
import { table } from '../scheduling.schema';
import { ScheduleGenerator } from '../schedule/schedule-generator';
import { type EnrollmentRow, SERIES_COLUMNS, type SeriesRow, type SiteRow } from '../schedule/schedule.rows';
import { findIndividualStart, type WeeklyPatternSlot } from './individual-slot';

const causedBy = (cause?: EventCause): { causedBy: EventCause } | undefined =>
  cause === undefined ? undefined : { causedBy: cause };

/** What seating one enrollment into its track produced. */
export interface SeatingResult {
  readonly seatedMinutes: number;
  readonly events: PendingEvent[];
}

/**
 * Seats and waitlists: puts an enrollment into its track's group series (a free seat in one of the series
 * of each weekly slot, otherwise the waitlist of the first), gives it a weekly individual counseling
 * series with the primary counselor, releases seats when a client leaves and promotes the first waiting
 * client into each freed seat.
 */
@Injectable()
export class Seating {
  constructor(private readonly generator: ScheduleGenerator) {}

  async seat(
    tx: Transaction,
    site: SiteRow,
    enrollment: EnrollmentRow,
    pattern: readonly WeeklyPatternSlot[],
    modality: string,
    now: Date,
    cause?: EventCause,
  ): Promise<SeatingResult> {
    const series = await tx.manager.query<(SeriesRow & { seated: number; waiting: number })[]>(
      `SELECT ${SERIES_COLUMNS},
              (SELECT count(*)::int FROM ${table('series_members')} m WHERE m.series_id = s.id AND m.status = 'seated') AS seated,
              (SELECT count(*)::int FROM ${table('series_members')} m WHERE m.series_id = s.id AND m.status = 'waitlisted') AS waiting
         FROM ${table('group_series')} s
        WHERE program_track_id = $1 AND kind = 'group' AND active
        ORDER BY weekday, start_time, session_type, created_at, id
        FOR UPDATE`,
      [enrollment.program_track_id],
    );
    const bySlot = new Map<string, (typeof series)[number][]>();
    for (const s of series) {
      const slot = `${s.weekday}/${s.start_time}/${s.session_type}`;
      bySlot.set(slot, [...(bySlot.get(slot) ?? []), s]);
    }
    const joinedOn = enrollment.starts_on;
    const seats: string[] = [];
    const waits: { series: SeriesRow; position: number }[] = [];
    let seatedMinutes = 0;
    for (const candidates of bySlot.values()) {
      const free = candidates.find((s) => s.seated < s.capacity);
      if (free !== undefined) {
        seats.push(free.id);
        seatedMinutes += free.minutes;
        continue;
      }
      const first = candidates.reduce((a, b) => (b.waiting < a.waiting ? b : a));
      waits.push({ series: first, position: first.waiting + 1 });
    }
    const individual = await this.individualSeries(tx, site, enrollment, pattern, modality, series, seats);
    seats.push(...individual.map((s) => s.id));
    seatedMinutes += individual.reduce((sum, s) => sum + s.minutes, 0);

    const ids = [...seats, ...waits.map((w) => w.series.id)];
    await tx.manager.query(
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
        joinedOn,
        now.toISOString(),
        ids,
        ids.map((_, i) => (i < seats.length ? 'seated' : 'waitlisted')),
      ],
    );
    const events = waits.map((w) =>
      pendingEvent(
        'ClientWaitlisted',
        {
          clientId: enrollment.client_id,
          episodeId: enrollment.episode_id,
          siteId: site.id,
          programTrackId: enrollment.program_track_id,
          groupSeriesId: w.series.id,
          position: w.position,
          waitlistedAt: now.toISOString(),
        },
        causedBy(cause),
      ),
    );
    return { seatedMinutes, events };
  }

  /**
   * The track's individual counseling slots, as weekly series of their own with the primary counselor, at
   * the first start in the slot's day the counselor and the client both have free.
   */
  private async individualSeries(
    tx: Transaction,
    site: SiteRow,
    enrollment: EnrollmentRow,
    pattern: readonly WeeklyPatternSlot[],
    modality: string,
    groupSeries: readonly SeriesRow[],
    seatedGroupIds: readonly string[],
  ): Promise<{ id: string; minutes: number }[]> {
    const slots = pattern.filter((p) => p.sessionType === SessionTypes.IndividualCounseling);
    if (slots.length === 0) return [];
    const busy = await tx.manager.query<{ weekday: Weekday; start_time: string; minutes: number }[]>(
      `SELECT weekday, start_time, minutes FROM ${table('group_series')}
        WHERE facilitator_id = $1 AND active
        FOR UPDATE`,
      [enrollment.primary_counselor_id],
    );
    const own = groupSeries.filter((s) => seatedGroupIds.includes(s.id));
    const created: { id: string; minutes: number }[] = [];
    for (const slot of slots) {
      const start = findIndividualStart(slot, [...busy, ...own]);
      if (start === undefined) continue;
      const id = randomUUID();
      await tx.manager.query(
        `INSERT INTO ${table('group_series')}
           (id, site_id, program_track_id, kind, session_type, weekday, start_time, minutes, facilitator_id,
            modality, capacity, starts_on)
         VALUES ($1, $2, $3, 'individual', $4, $5, $6, $7, $8, $9, 1, $10)`,
        [
          id,
          site.id,
          enrollment.program_track_id,
          slot.sessionType satisfies SessionType,
          slot.weekday,
          start,
          slot.minutes,
          enrollment.primary_counselor_id,
          modality,
          enrollment.starts_on,
        ],
      );
      busy.push({ weekday: slot.weekday, start_time: start, minutes: slot.minutes });
      created.push({ id, minutes: slot.minutes });
    }
    return created;
  }

  /**
   * Ends an enrollment's seats and waits from `at`: cancels its appointments starting then or later
   * (AppointmentCancelled with `reason`), retires its individual series and promotes the first waiting
   * client into each group seat it frees.
   */
  async leave(
    tx: Transaction,
    site: SiteRow,
    enrollment: EnrollmentRow,
    at: Date,
    reason: CancellationReason,
    now: Date,
    cause?: EventCause,
  ): Promise<void> {
    await this.cancelAppointments(tx, { episodeId: enrollment.episode_id, from: at }, reason, now, cause);
    // UPDATE … RETURNING answers [rows, affected count] through TypeORM.
    const [left] = await tx.manager.query<[{ series_id: string; kind: string; was: string }[], number]>(
      `WITH before AS (
         SELECT m.id, m.status, s.kind FROM ${table('series_members')} m
           JOIN ${table('group_series')} s ON s.id = m.series_id
          WHERE m.enrollment_id = $1 AND m.status IN ('seated', 'waitlisted')
          FOR UPDATE OF m)
       UPDATE ${table('series_members')} m SET status = 'left', left_at = $2
         FROM before WHERE m.id = before.id
       RETURNING m.series_id, before.kind, before.status AS was`,
      [enrollment.id, now.toISOString()],
    );
    const individual = left.filter((l) => l.kind === 'individual').map((l) => l.series_id);
    if (individual.length > 0) {
      await tx.manager.query(`UPDATE ${table('group_series')} SET active = false WHERE id = ANY($1)`, [
        individual,
      ]);
      await tx.manager.query(
        `UPDATE ${table('occurrences')} SET status = 'cancelled' WHERE series_id = ANY($1) AND starts_at >= $2`,
        [individual, at.toISOString()],
      );
    }
    const freed = left.filter((l) => l.kind === 'group' && l.was === 'seated').map((l) => l.series_id);
    for (const seriesId of freed) await this.promote(tx, site, seriesId, now, cause);
  }

  /** Cancels the scheduled appointments of an episode from an instant (optionally of some series only). */
  async cancelAppointments(
    tx: Transaction,
    scope: { episodeId: string; from: Date; seriesId?: string },
    reason: CancellationReason,
    now: Date,
    cause?: EventCause,
  ): Promise<number> {
    const params: unknown[] = [scope.episodeId, scope.from.toISOString(), reason, now.toISOString()];
    if (scope.seriesId !== undefined) params.push(scope.seriesId);
    const [cancelled] = await tx.manager.query<
      [{ id: string; client_id: string; episode_id: string; site_id: string }[], number]
    >(
      `UPDATE ${table('appointments')} a SET status = 'cancelled', cancel_reason = $3, updated_at = $4
        WHERE a.episode_id = $1 AND a.status = 'scheduled' AND a.starts_at >= $2
          ${scope.seriesId === undefined ? '' : `AND a.occurrence_id IN (SELECT id FROM ${table('occurrences')} WHERE series_id = $5)`}
        RETURNING a.id, a.client_id, a.episode_id, a.site_id`,
      params,
    );
    await tx.publishAll(
      cancelled.map((a) =>
        pendingEvent(
          'AppointmentCancelled',
          {
            appointmentId: a.id,
            clientId: a.client_id,
            episodeId: a.episode_id,
            siteId: a.site_id,
            reason,
            cancelledAt: now.toISOString(),
          },
          causedBy(cause),
        ),
      ),
    );
    return cancelled.length;
  }

  /** Fills free seats of a group series from its waitlist, first come first served. */
  async promote(
    tx: Transaction,
    site: SiteRow,
    seriesId: string,
    now: Date,
    cause?: EventCause,
  ): Promise<number> {
    const [series] = await tx.manager.query<{ capacity: number; seated: number }[]>(
      `SELECT capacity,
              (SELECT count(*)::int FROM ${table('series_members')} m WHERE m.series_id = s.id AND m.status = 'seated') AS seated
         FROM ${table('group_series')} s WHERE id = $1 AND active FOR UPDATE`,
      [seriesId],
    );
    if (series === undefined || series.seated >= series.capacity) return 0;
    const today: LocalDate = localDateOf(now, site.time_zone);
    const [promoted] = await tx.manager.query<[{ enrollment_id: string }[], number]>(
      `UPDATE ${table('series_members')} m
          SET status = 'seated', joined_on = greatest($3::date, e.starts_on)
         FROM ${table('enrollments')} e
        WHERE e.id = m.enrollment_id AND m.id IN (
              SELECT w.id FROM ${table('series_members')} w
               WHERE w.series_id = $1 AND w.status = 'waitlisted'
               ORDER BY w.position LIMIT $2 FOR UPDATE)
        RETURNING m.enrollment_id`,
      [seriesId, series.capacity - series.seated, today],
    );
    if (promoted.length === 0) return 0;
    await this.generator.fillSeats(
      tx,
      site.id,
      now,
      { enrollmentIds: promoted.map((p) => p.enrollment_id), seriesIds: [seriesId] },
      cause,
    );
    return promoted.length;
  }
}
