import { DateTime } from 'luxon';

/**
 * When appointment reminders go out, as versioned data. `days` counts calendar days in the client's time
 * zone (the day before, at the same local time, even across a daylight-saving change); `hours` is elapsed time.
 */
export const REMINDER_OFFSETS = {
  id: 'reminder-offsets@1',
  offsets: [
    { code: '24h', templateCode: 'appointment-reminder-24h', days: 1, hours: 0 },
    { code: '2h', templateCode: 'appointment-reminder-2h', days: 0, hours: 2 },
  ],
} as const;

export type ReminderOffset = (typeof REMINDER_OFFSETS.offsets)[number];

/** When the reminder for `offset` is due for an appointment starting at `startsAt`. */
export function reminderDueAt(startsAt: Date, offset: ReminderOffset, timeZone: string): Date {
  return DateTime.fromJSDate(startsAt, { zone: timeZone })
    .minus({ days: offset.days })
    .minus({ hours: offset.hours })
    .toUTC()
    .toJSDate();
}
