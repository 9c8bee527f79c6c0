import { DateTime, IANAZone } from 'luxon';
import { Weekday } from '@stepwise/contracts';

/** A calendar date in a site's time zone, `YYYY-MM-DD`. */
export type LocalDate = string;

/** ISO weekday numbers (Monday = 1), the order luxon and ISO weeks use. */
export const WEEKDAY_NUMBER: Readonly<Record<Weekday, number>> = {
  [Weekday.Monday]: 1,
  [Weekday.Tuesday]: 2,
  [Weekday.Wednesday]: 3,
  [Weekday.Thursday]: 4,
  [Weekday.Friday]: 5,
  [Weekday.Saturday]: 6,
  [Weekday.Sunday]: 7,
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Whether `zone` is an IANA zone name this runtime knows (not a fixed offset, not an abbreviation). */
export function isKnownTimeZone(zone: string): boolean {
  return zone.includes('/') && IANAZone.isValidZone(zone);
}

/** Whether `value` is a real calendar date (2025-02-30 is not). */
export function isLocalDate(value: string): value is LocalDate {
  return DATE.test(value) && DateTime.fromISO(value, { zone: 'UTC' }).isValid;
}

function parseDate(date: LocalDate): DateTime {
  const parsed = DateTime.fromISO(date, { zone: 'UTC' });
  if (!DATE.test(date) || !parsed.isValid) throw new RangeError(`Not a calendar date: ${date}`);
  return parsed;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return parseDate(date).plus({ days }).toISODate() as LocalDate;
}

/** Number of days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round(parseDate(to).diff(parseDate(from), 'days').days);
}

export function isoWeekday(date: LocalDate): number {
  return parseDate(date).weekday;
}

/** The Monday of the ISO week containing `date` (weeks are ISO weeks in the site's time zone). */
export function isoWeekStart(date: LocalDate): LocalDate {
  return addDays(date, 1 - isoWeekday(date));
}

/** The calendar date an instant falls on in `timeZone`. */
export function localDateOf(instant: Date | string, timeZone: string): LocalDate {
  const at = typeof instant === 'string' ? DateTime.fromISO(instant) : DateTime.fromJSDate(instant);
  return at.setZone(timeZone).toISODate() as LocalDate;
}

/**
 * The instant of a wall-clock time on a date in `timeZone`. On the spring-forward day a time inside the
 * skipped hour moves forward by the gap (02:30 → 03:30), which is what a clinic's clock on the wall does.
 */
export function zonedInstant(date: LocalDate, time: string, timeZone: string): Date {
  if (!TIME.test(time)) throw new RangeError(`Not a time of day: ${time}`);
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const day = parseDate(date);
  return DateTime.fromObject(
    { year: day.year, month: day.month, day: day.day, hour, minute },
    { zone: timeZone },
  ).toJSDate();
}

/** One weekly recurring meeting: a weekday, a local start time and a length. */
export interface WeeklySlot {
  readonly weekday: Weekday;
  /** HH:mm in the site's time zone. */
  readonly start: string;
  readonly minutes: number;
}

/** One dated meeting of a weekly slot. */
export interface Occurrence {
  readonly localDate: LocalDate;
  readonly startsAt: Date;
  readonly endsAt: Date;
}

/** A half-open range of local dates: `from` included, `until` excluded. */
export interface DateRange {
  readonly from: LocalDate;
  readonly until: LocalDate;
}

/**
 * The meetings of a weekly slot in a range of local dates, at the slot's wall-clock time in the site's time
 * zone (a 6 pm group stays 6 pm local across daylight-saving changes), skipping the site's closures.
 */
export function occurrencesOf(
  slot: WeeklySlot,
  range: DateRange,
  timeZone: string,
  closures: ReadonlySet<LocalDate> = new Set(),
): Occurrence[] {
  const span = daysBetween(range.from, range.until);
  if (span <= 0) return [];
  const offset = (WEEKDAY_NUMBER[slot.weekday] - isoWeekday(range.from) + 7) % 7;
  const result: Occurrence[] = [];
  for (let day = offset; day < span; day += 7) {
    const localDate = addDays(range.from, day);
    if (closures.has(localDate)) continue;
    const startsAt = zonedInstant(localDate, slot.start, timeZone);
    result.push({ localDate, startsAt, endsAt: new Date(startsAt.getTime() + slot.minutes * 60_000) });
  }
  return result;
}
