import { type SessionType, type Weekday } from '@stepwise/contracts';

/** One entry of a track's weekly pattern, as stored with the track. */
export interface WeeklyPatternSlot {
  readonly weekday: Weekday;
  readonly start: string;
  readonly minutes: number;
  readonly sessionType: SessionType;
}

/** A weekly commitment already in someone's week. */
export interface BusySlot {
  readonly weekday: Weekday;
  readonly start_time: string;
  readonly minutes: number;
}

/**
 * Where individual sessions may go: from the track's slot start, in steps of the session length, ending by
 * the latest time below. Versioned with an id like the other domain numbers.
 */
export const INDIVIDUAL_SLOT_SEARCH_V1 = Object.freeze({
  id: 'individual-slot-search-v1',
  latestEnd: '22:00',
});

const minutesOf = (time: string): number => {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
};
const timeOf = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * The first start, on the slot's weekday from its start time in steps of its length, that overlaps
 * nothing in `busy` (the counselor's weekly series and the client's groups); undefined when the day is full.
 */
export function findIndividualStart(
  slot: WeeklyPatternSlot,
  busy: readonly BusySlot[],
  latestEnd: string = INDIVIDUAL_SLOT_SEARCH_V1.latestEnd,
): string | undefined {
  const sameDay = busy
    .filter((b) => b.weekday === slot.weekday)
    .map((b) => ({ from: minutesOf(b.start_time), to: minutesOf(b.start_time) + b.minutes }));
  for (let from = minutesOf(slot.start); from + slot.minutes <= minutesOf(latestEnd); from += slot.minutes) {
    const to = from + slot.minutes;
    if (sameDay.every((b) => to <= b.from || from >= b.to)) return timeOf(from);
  }
  return undefined;
}
