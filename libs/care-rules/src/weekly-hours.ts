import { type LevelOfCare, type Population } from '@stepwise/contracts';
import { addDays, firstWholeWeekFrom, startOfLocalDay, weekEndsAt, weekStartOf } from './calendar';
import { type AttendanceFact, type EpisodeFacts, isAttended } from './facts';
import { type ProgramShapeRules, weeklyMinimum } from './versioned-data';

/** Minutes attended per ISO week (by Monday), over every week with any attendance record. */
export function minutesByWeek(attendance: readonly AttendanceFact[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const fact of attendance) {
    const week = weekStartOf(fact.sessionDate);
    totals.set(week, (totals.get(week) ?? 0) + (isAttended(fact.outcome) ? fact.minutes : 0));
  }
  return totals;
}

/**
 * The instant a site-local week closes: its end (local Monday 00:00) plus the documentation grace (the track's,
 * else the program policy's: attendance is often entered a day or two late, and a week judged before it is would
 * raise a shortfall that is not one).
 */
export function weekClosesAt(weekStart: string, timeZone: string, graceHours: number): Date {
  return new Date(weekEndsAt(weekStart, timeZone).getTime() + graceHours * 3_600_000);
}

/**
 * The weeks of an episode that have closed: whole ISO weeks from the first Monday on or after admission,
 * ending before discharge, whose grace period after their end has passed — by the clock (`now`) or because a
 * fact dated on a later day shows that day has come (`latestFact`: time has reached at least its local
 * midnight). A partial first or last week is never judged.
 */
export function closedWeeks(
  facts: EpisodeFacts,
  latestFact: string,
  now: Date,
  timeZone: string,
  graceHours: number,
): string[] {
  const known = Math.max(now.getTime(), startOfLocalDay(latestFact, timeZone).getTime());
  const weeks: string[] = [];
  for (
    let week = firstWholeWeekFrom(facts.admittedOn);
    weekClosesAt(week, timeZone, graceHours).getTime() <= known;
    week = addDays(week, 7)
  ) {
    if (facts.dischargedOn !== null && addDays(week, 7) > facts.dischargedOn) break;
    weeks.push(week);
  }
  return weeks;
}

/** A clinical level of an episode from the instant it took effect (until the next one). */
export interface LevelPeriod {
  readonly level: LevelOfCare;
  readonly from: string;
}

/**
 * The minimum a week is judged against: that of the level in force that week, and where the level changed
 * during the week, the lowest of the levels in force (a client stepped down on Wednesday is not held to the
 * higher level's hours for the whole week). `levels` oldest first; undefined minutes: the level sets none.
 */
export function minimumOfWeek(
  levels: readonly LevelPeriod[],
  weekStart: string,
  timeZone: string,
  population: Population,
  table: ProgramShapeRules,
): { readonly level: LevelOfCare; readonly requiredMinutes: number | undefined } | undefined {
  const start = startOfLocalDay(weekStart, timeZone).getTime();
  const end = weekEndsAt(weekStart, timeZone).getTime();
  let lowest: { level: LevelOfCare; requiredMinutes: number | undefined } | undefined;
  levels.forEach((period, i) => {
    const from = Date.parse(period.from);
    const until = i + 1 < levels.length ? Date.parse(levels[i + 1]?.from ?? '') : Infinity;
    if (from >= end || until <= start) return;
    const requiredMinutes = weeklyMinimum(table, period.level, population);
    if (lowest === undefined || (requiredMinutes ?? 0) < (lowest.requiredMinutes ?? 0)) {
      lowest = { level: period.level, requiredMinutes };
    }
  });
  return lowest;
}

export interface WeekHours {
  readonly weekStart: string;
  readonly attendedMinutes: number;
  readonly requiredMinutes: number;
  readonly short: boolean;
}

/** Each closed week against the weekly minimum (no minimum: nothing is short). */
export function judgeWeeks(
  facts: EpisodeFacts,
  weeks: readonly string[],
  requiredMinutes: number | undefined,
): WeekHours[] {
  const totals = minutesByWeek(facts.attendance);
  return weeks.map((weekStart) => {
    const attendedMinutes = totals.get(weekStart) ?? 0;
    const required = requiredMinutes ?? 0;
    return { weekStart, attendedMinutes, requiredMinutes: required, short: attendedMinutes < required };
  });
}
