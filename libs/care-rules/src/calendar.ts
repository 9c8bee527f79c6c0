import { DateTime } from 'luxon';

/**
 * Calendar arithmetic in a site's time zone. Dates are ISO calendar dates (`YYYY-MM-DD`) of the site's wall
 * clock; weeks are ISO weeks (Monday to Sunday), named by their Monday. Plain dates compare as strings.
 */

function parseDate(date: string): DateTime {
  const parsed = DateTime.fromISO(date, { zone: 'utc' });
  if (!parsed.isValid) throw new Error(`Not a calendar date: ${date}`);
  return parsed;
}

/** The site-local calendar date of an instant. */
export function localDateOf(instant: Date | string, timeZone: string): string {
  const at = typeof instant === 'string' ? DateTime.fromISO(instant) : DateTime.fromJSDate(instant);
  const local = at.setZone(timeZone);
  if (!local.isValid) throw new Error(`Cannot place ${String(instant)} in time zone ${timeZone}`);
  return local.toISODate() ?? '';
}

/** The Monday of the ISO week holding `date`. */
export function weekStartOf(date: string): string {
  return parseDate(date).startOf('week').toISODate() ?? '';
}

export function addDays(date: string, days: number): string {
  return parseDate(date).plus({ days }).toISODate() ?? '';
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round(parseDate(to).diff(parseDate(from), 'days').days);
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
