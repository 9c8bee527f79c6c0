import { Weekday } from '@stepwise/contracts';
import { type LocalDate, addDays, daysBetween, isoWeekday, zonedInstant } from './calendar';

/** ISO weekday numbers (Monday = 1), the order ISO weeks use. */
export const WEEKDAY_NUMBER: Readonly<Record<Weekday, number>> = {
  [Weekday.Monday]: 1,
  [Weekday.Tuesday]: 2,
  [Weekday.Wednesday]: 3,
  [Weekday.Thursday]: 4,
  [Weekday.Friday]: 5,
  [Weekday.Saturday]: 6,
  [Weekday.Sunday]: 7,
};

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
