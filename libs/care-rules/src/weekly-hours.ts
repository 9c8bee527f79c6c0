import { addDays, firstWholeWeekFrom, weekStartOf } from './calendar';
import { type AttendanceFact, type EpisodeFacts, isAttended } from './facts';
import { type BillingRule } from './versioned-data';

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
 * The weeks of an episode that have closed: whole ISO weeks from the first Monday on or after admission,
 * ending before discharge, whose Sunday is past — because a later-dated fact arrived or the site's calendar
 * (`today`, from the clock) moved beyond it. A partial first or last week is never judged.
 */
export function closedWeeks(facts: EpisodeFacts, latestFact: string, today: string): string[] {
  const horizon = latestFact > today ? latestFact : today;
  const weeks: string[] = [];
  for (
    let week = firstWholeWeekFrom(facts.admittedOn);
    addDays(week, 7) <= horizon;
    week = addDays(week, 7)
  ) {
    if (facts.dischargedOn !== null && addDays(week, 7) > facts.dischargedOn) break;
    weeks.push(week);
  }
  return weeks;
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

export interface BillableWeek {
  readonly weekStart: string;
  /** The days with enough minutes attended, in date order. */
  readonly billableDays: readonly string[];
  readonly attendedMinutes: number;
}

/** Billable IOP days per ISO week: days on which the client attended at least the rule's minutes. */
export function billableWeeks(attendance: readonly AttendanceFact[], rule: BillingRule): BillableWeek[] {
  const byDay = new Map<string, number>();
  for (const fact of attendance) {
    if (!isAttended(fact.outcome)) continue;
    byDay.set(fact.sessionDate, (byDay.get(fact.sessionDate) ?? 0) + fact.minutes);
  }
  const weeks = new Map<string, { days: string[]; minutes: number }>();
  for (const [day, minutes] of [...byDay.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const week = weekStartOf(day);
    const entry = weeks.get(week) ?? { days: [], minutes: 0 };
    entry.minutes += minutes;
    if (minutes >= rule.minMinutesPerDay) entry.days.push(day);
    weeks.set(week, entry);
  }
  return [...weeks.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([weekStart, { days, minutes }]) => ({ weekStart, billableDays: days, attendedMinutes: minutes }));
}
