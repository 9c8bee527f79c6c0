import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type EventCause, type LevelOfCare, type Population } from '@stepwise/contracts';
import { type PendingEvent, type Transaction, pendingEvent } from '@stepwise/messaging';
import {
  type LocalDate,
  type PlannedSession,
  type PlannedWeekTotal,
  addDays,
  localDateOf,
  occurrencesOf,
  programShapeFor,
  weekStartOf,
  weeklyMinimum,
  weeksBelowMinimum,
  weeksOutsideShape,
} from '@stepwise/care-rules';
import { CareRulesRepository } from '../care-rules/care-rules.repository';
import { CURRENT_HORIZON } from './horizon-policy';
import { type SiteRow } from './schedule.rows';
import {
  type LevelFlag,
  type NewOccurrence,
  type PlannedWeek,
  ScheduleRepository,
  type ShapeFlag,
} from './schedule.repository';

const maxDate = (...dates: (LocalDate | null | undefined)[]): LocalDate =>
  dates.filter((d): d is LocalDate => typeof d === 'string').reduce((a, b) => (a > b ? a : b));

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
 * Turns group series and seats into dated occurrences and appointments, in bulk (the repository writes each
 * kind of row in one statement, whatever the number of clients), for the use cases that grow the schedule:
 * enrolling, creating a series, promoting from a waitlist and extending the horizon.
 *
 * Occurrences define the horizon: a series has them up to its `generated_until`; every seated member gets
 * an appointment for each of its series' future occurrences from the day they joined (the unique key on
 * occurrence and client makes this idempotent). New appointments are announced with AppointmentScheduled.
 */
@Injectable()
export class ScheduleGenerator {
  constructor(
    private readonly repository: ScheduleRepository,
    private readonly careRules: CareRulesRepository,
  ) {}

  loadSite(tx: Transaction, siteId: string): Promise<SiteRow | undefined> {
    return this.repository.site(tx.manager, siteId);
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
    const series = await this.repository.lockActiveSeries(tx.manager, site.id, seriesIds);
    const closures = new Set(site.closures);
    const rows: NewOccurrence[] = [];
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
          rows.push({ id: randomUUID(), seriesId: s.id, ...o });
        }
      }
      const from = maxDate(s.generated_until, s.starts_on, today);
      if (from >= until) continue;
      extended.push(s.id);
      for (const o of occurrencesOf(slot, { from, until }, site.time_zone, closures)) {
        rows.push({ id: randomUUID(), seriesId: s.id, ...o });
      }
    }
    await this.repository.insertOccurrences(tx.manager, rows);
    await this.repository.markGeneratedUntil(tx.manager, extended, until);
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
    const inserted = await this.repository.bookSeats(tx.manager, {
      siteId,
      from: past ? new Date(0) : now,
      ...(filter.enrollmentIds === undefined ? {} : { enrollmentIds: filter.enrollmentIds }),
      ...(filter.seriesIds === undefined ? {} : { seriesIds: filter.seriesIds }),
    });
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
    const rows = await this.repository.plannedWeeks(
      tx.manager,
      site.id,
      { weekFrom, until: window.until },
      enrollmentIds,
    );
    const byEnrollment = new Map<
      string,
      { row: PlannedWeek; sessions: PlannedSession[]; weeks: PlannedWeekTotal[] }
    >();
    for (const row of rows) {
      const entry = byEnrollment.get(row.id) ?? { row, sessions: [], weeks: [] };
      if (row.week_start !== null && row.minutes !== null) {
        entry.sessions.push({ localDate: row.week_start, minutes: row.minutes });
        entry.weeks.push({ weekStart: row.week_start, minutes: row.minutes, days: row.days ?? 0 });
      }
      byEnrollment.set(row.id, entry);
    }
    // The program shape in force now: each flag records its id, as sessions records it on the weeks it closes.
    const { programShape } = await this.careRules.inForce(tx.manager);
    const flags: (LevelFlag & { clientId: string; level: LevelOfCare; population: Population })[] = [];
    const shapeFlags: ShapeFlag[] = [];
    for (const { row, sessions, weeks } of byEnrollment.values()) {
      const required = weeklyMinimum(programShape, row.level_of_care, row.population);
      // Weeks before `from` were (or will be) judged by an earlier run, or were only partly planned.
      const judged = { enrolledFrom: maxDate(row.starts_on, window.from), plannedUntil: window.until };
      const shape = programShapeFor(programShape, row.level_of_care, row.population);
      for (const week of weeksOutsideShape(weeks, judged, shape)) {
        shapeFlags.push({
          episodeId: row.episode_id,
          weekStart: week.weekStart,
          plannedMinutes: week.minutes,
          plannedDays: week.days,
          breaches: week.breaches,
          ruleSetId: programShape.id,
        });
      }
      for (const week of weeksBelowMinimum(sessions, judged, required)) {
        flags.push({
          episodeId: row.episode_id,
          weekStart: week.weekStart,
          plannedMinutes: week.plannedMinutes,
          requiredMinutes: week.requiredMinutes,
          ruleSetId: programShape.id,
          clientId: row.client_id,
          level: row.level_of_care,
          population: row.population,
        });
      }
    }
    await this.publishShapeFlags(tx, site, shapeFlags, byEnrollment, cause);
    if (flags.length === 0) return 0;
    const fresh = await this.repository.recordLevelFlags(tx.manager, flags);
    const events: PendingEvent[] = flags
      .filter((flag) => fresh.has(`${flag.episodeId}/${flag.weekStart}`))
      .map((flag) =>
        pendingEvent(
          'ScheduleBelowLevelMinimum',
          {
            clientId: flag.clientId,
            episodeId: flag.episodeId,
            siteId: site.id,
            weekStart: flag.weekStart,
            plannedMinutes: flag.plannedMinutes,
            requiredMinutes: flag.requiredMinutes,
            levelOfCare: flag.level,
            population: flag.population,
          },
          cause === undefined ? undefined : { causedBy: cause },
        ),
      );
    await tx.publishAll(events);
    return events.length;
  }

  /**
   * The program shape (days per week, the level's upper bound) is judged where the schedule is built, with the
   * minimum: it is a property of the plan a track and its individual sessions offer a client, known weeks
   * ahead, when it can still be fixed; attendance can only fall below a plan, never above it.
   */
  private async publishShapeFlags(
    tx: Transaction,
    site: SiteRow,
    flags: readonly ShapeFlag[],
    enrollments: ReadonlyMap<string, { row: PlannedWeek }>,
    cause: EventCause | undefined,
  ): Promise<void> {
    if (flags.length === 0) return;
    const fresh = await this.repository.recordShapeFlags(tx.manager, flags);
    const episodes = new Map([...enrollments.values()].map(({ row }) => [row.episode_id, row]));
    const events: PendingEvent[] = [];
    for (const flag of flags) {
      const row = episodes.get(flag.episodeId);
      if (row === undefined || !fresh.has(`${flag.episodeId}/${flag.weekStart}`)) continue;
      events.push(
        pendingEvent(
          'ScheduleOutsideProgramShape',
          {
            clientId: row.client_id,
            episodeId: flag.episodeId,
            siteId: site.id,
            weekStart: flag.weekStart,
            plannedMinutes: Math.min(flag.plannedMinutes, 10080),
            plannedDays: flag.plannedDays,
            breaches: [...flag.breaches],
            levelOfCare: row.level_of_care,
            population: row.population,
            ruleSetId: flag.ruleSetId,
          },
          cause === undefined ? undefined : { causedBy: cause },
        ),
      );
    }
    await tx.publishAll(events);
  }
}
