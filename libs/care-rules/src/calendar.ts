import { DateTime } from 'luxon';

/**
 * Calendar arithmetic in a site's time zone. Dates are ISO calendar dates (`YYYY-MM-DD`) of the site's wall
 * clock; weeks are ISO weeks (Monday to Sunday), named by their Monday. Plain dates compare as strings.
 */

const DAY_MS = 86_400_000;
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A calendar date as whole days since 1970-01-01. Plain dates carry no zone, so day arithmetic is integer
 * arithmetic (no DST can touch it), and cheap: the rules evaluate an episode at every fact.
 */
function dayNumber(date: string): number {
  const match = CALENDAR_DATE.exec(date);
  const time = match === null ? NaN : Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  // Date.UTC rolls 30 February over to March: a date that does not round-trip is not a date.
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== date) {
    throw new Error(`Not a calendar date: ${date}`);
  }
  return time / DAY_MS;
}

const dateOfDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The site-local calendar date of an instant. */
export function localDateOf(instant: Date | string, timeZone: string): string {
  const at = typeof instant === 'string' ? DateTime.fromISO(instant) : DateTime.fromJSDate(instant);
  const local = at.setZone(timeZone);
  if (!local.isValid) throw new Error(`Cannot place ${String(instant)} in time zone ${timeZone}`);
  return local.toISODate() ?? '';
}

/** The Monday of the ISO week holding `date`. */
export function weekStartOf(date: string): string {
  const day = dayNumber(date);
  // 1970-01-01 was a Thursday: day 0 is three days after a Monday.
  return dateOfDay(day - ((((day + 3) % 7) + 7) % 7));
}

export function addDays(date: string, days: number): string {
  return dateOfDay(dayNumber(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** The first Monday on or after `date`: the first whole ISO week starting then. */
export function firstWholeWeekFrom(date: string): string {
  const monday = weekStartOf(date);
  return monday === date ? monday : addDays(monday, 7);
}

/** The instant a site-local week ends: local midnight starting the next Monday (DST-aware). */
export function weekEndsAt(weekStart: string, timeZone: string): Date {
  return DateTime.fromISO(weekStart, { zone: timeZone }).plus({ weeks: 1 }).toJSDate();
}
