import { REMINDER_OFFSETS, reminderDueAt } from './reminder-offsets';

const [dayBefore, twoHours] = REMINDER_OFFSETS.offsets;

describe('reminderDueAt', () => {
  it('is 24 h and 2 h before an appointment on an ordinary day', () => {
    const startsAt = new Date('2025-06-10T23:00:00Z'); // 18:00 in Chicago (CDT)
    expect(reminderDueAt(startsAt, dayBefore, 'America/Chicago').toISOString()).toBe(
      '2025-06-09T23:00:00.000Z',
    );
    expect(reminderDueAt(startsAt, twoHours, 'America/Chicago').toISOString()).toBe(
      '2025-06-10T21:00:00.000Z',
    );
  });

  it('keeps the day-before reminder at the same local time across a daylight-saving change', () => {
    // Monday 2025-03-10 18:00 CDT (23:00 UTC); the day before is Sunday 18:00 CDT, the clocks changed that night.
    const startsAt = new Date('2025-03-10T23:00:00Z');
    expect(reminderDueAt(startsAt, dayBefore, 'America/Chicago').toISOString()).toBe(
      '2025-03-09T23:00:00.000Z',
    );
    // Tuesday 2025-03-11 18:00 CDT: the day before is Monday 18:00 CDT, same UTC offset.
    // Monday 2025-03-10 08:00 CDT ← its day before is Sunday 08:00 CDT = 13:00 UTC (not 14:00 CST + 24 h).
    expect(reminderDueAt(new Date('2025-03-10T13:00:00Z'), dayBefore, 'America/Chicago').toISOString()).toBe(
      '2025-03-09T13:00:00.000Z',
    );
    // Saturday 2025-03-08 is still CST: 08:00 CST = 14:00 UTC; 24 h of elapsed time would have said 13:00 UTC.
    expect(reminderDueAt(new Date('2025-03-09T13:00:00Z'), dayBefore, 'America/Chicago').toISOString()).toBe(
      '2025-03-08T14:00:00.000Z',
    );
  });

  it('is versioned data', () => {
    expect(REMINDER_OFFSETS.id).toBe('reminder-offsets@1');
    expect(REMINDER_OFFSETS.offsets.map((o) => o.code)).toEqual(['24h', '2h']);
  });
});
