import { DateTime } from 'luxon';

/** A daily window in the recipient's local time; `start > end` wraps past midnight (21:00-08:00). */
export interface QuietHours {
  readonly start: string;
  readonly end: string;
}

const minutesOf = (time: string): number => {
  const [hours = '0', minutes = '0'] = time.split(':');
  return Number(hours) * 60 + Number(minutes);
};

export function parseQuietHours(text: string): QuietHours {
  const [start, end] = text.split('-');
  if (start === undefined || end === undefined) throw new Error('quiet hours must be HH:MM-HH:MM');
  return { start, end };
}

/**
 * When the quiet window that contains `instant` ends, in the recipient's time zone; undefined when the instant
 * is outside quiet hours (or the window is empty). Computed on the local calendar, so it stays right across
 * daylight-saving changes.
 */
export function quietHoursEnd(instant: Date, quiet: QuietHours, timeZone: string): Date | undefined {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return undefined;
  const local = DateTime.fromJSDate(instant, { zone: timeZone });
  const minute = local.hour * 60 + local.minute;
  const wraps = start > end;
  const inside = wraps ? minute >= start || minute < end : minute >= start && minute < end;
  if (!inside) return undefined;
  const endDay = wraps && minute >= start ? local.plus({ days: 1 }) : local;
  return endDay
    .set({ hour: Math.floor(end / 60), minute: end % 60, second: 0, millisecond: 0 })
    .toUTC()
    .toJSDate();
}
