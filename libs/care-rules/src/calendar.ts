import { DateTime, IANAZone } from 'luxon';

/**
 * Calendar arithmetic in a site's time zone. Dates are ISO calendar dates (`YYYY-MM-DD`) of the site's wall
 * clock; weeks are ISO weeks (Monday to Sunday), named by their Monday. Plain dates compare as strings.
 */

/** A calendar date of a site's wall clock, `YYYY-MM-DD`. */
export type LocalDate = string;

const DAY_MS = 86_400_000;
const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;
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

/** Whether `value` is a real calendar date (2025-02-30 is not). */
export function isLocalDate(value: string): value is LocalDate {
  try {
    dayNumber(value);
    return true;
  } catch {
    return false;
  }
}

/** Whether `zone` is an IANA zone name this runtime knows (not a fixed offset, not an abbreviation). */
export function isKnownTimeZone(zone: string): boolean {
  return zone.includes('/') && IANAZone.isValidZone(zone);
}

/** The ISO weekday of a date: Monday 1 … Sunday 7. */
export function isoWeekday(date: LocalDate): number {
  return daysBetween(weekStartOf(date), date) + 1;
}

/**
 * The instant of a wall-clock time on a date in `timeZone`. On the spring-forward day a time inside the
 * skipped hour moves forward by the gap (02:30 → 03:30), which is what a clinic's clock on the wall does.
 */
export function zonedInstant(date: LocalDate, time: string, timeZone: string): Date {
  if (!TIME_OF_DAY.test(time)) throw new Error(`Not a time of day: ${time}`);
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  dayNumber(date);
  return DateTime.fromObject({ year, month, day, hour, minute }, { zone: timeZone }).toJSDate();
}

/**
 * The first instant of a date at a site: its local midnight, or the first instant that exists where a
 * daylight-saving change skips midnight. Something dated "on" a day (an admission, a level change) takes
 * effect then.
 */
export function startOfLocalDay(date: LocalDate, timeZone: string): Date {
  dayNumber(date);
  return DateTime.fromISO(date, { zone: timeZone }).startOf('day').toJSDate();
}
