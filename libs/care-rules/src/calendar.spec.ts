import { DateTime } from 'luxon';
import { addDays, daysBetween, firstWholeWeekFrom, localDateOf, weekEndsAt, weekStartOf } from './calendar';

describe('site calendar', () => {
  const chicago = 'America/Chicago';

  it('places an instant on the site-local date, before and after local midnight', () => {
    expect(localDateOf('2025-03-03T05:59:59Z', chicago)).toBe('2025-03-02');
    expect(localDateOf('2025-03-03T06:00:00Z', chicago)).toBe('2025-03-03');
    expect(localDateOf(new Date('2025-03-03T06:00:00Z'), 'Europe/Berlin')).toBe('2025-03-03');
  });

  it('names ISO weeks by their Monday', () => {
    expect(weekStartOf('2025-03-09')).toBe('2025-03-03');
    expect(weekStartOf('2025-03-10')).toBe('2025-03-10');
    expect(weekStartOf('2025-01-01')).toBe('2024-12-30');
  });

  it('puts the week boundary at local midnight when daylight saving starts that Sunday', () => {
    // 9 March 2025: Chicago moves from CST (UTC-6) to CDT (UTC-5); the week has 167 hours.
    expect(localDateOf('2025-03-10T04:59:59Z', chicago)).toBe('2025-03-09');
    expect(weekStartOf(localDateOf('2025-03-10T04:59:59Z', chicago))).toBe('2025-03-03');
    expect(weekStartOf(localDateOf('2025-03-10T05:00:00Z', chicago))).toBe('2025-03-10');
    expect(weekEndsAt('2025-03-03', chicago).toISOString()).toBe('2025-03-10T05:00:00.000Z');
  });

  it('puts the week boundary at local midnight when daylight saving ends that Sunday', () => {
    // 2 November 2025: back to CST; the week has 169 hours.
    expect(weekStartOf(localDateOf('2025-11-03T05:59:59Z', chicago))).toBe('2025-10-27');
    expect(weekStartOf(localDateOf('2025-11-03T06:00:00Z', chicago))).toBe('2025-11-03');
    expect(weekEndsAt('2025-10-27', chicago).toISOString()).toBe('2025-11-03T06:00:00.000Z');
  });

  it('counts days and finds the first whole week', () => {
    expect(addDays('2025-02-27', 2)).toBe('2025-03-01');
    expect(daysBetween('2025-03-01', '2025-03-15')).toBe(14);
    expect(daysBetween('2025-03-08', '2025-03-10')).toBe(2);
    expect(firstWholeWeekFrom('2025-03-10')).toBe('2025-03-10');
    expect(firstWholeWeekFrom('2025-03-11')).toBe('2025-03-17');
  });

  it('refuses what is not a date', () => {
    expect(() => weekStartOf('2025-02-30')).toThrow('Not a calendar date');
    expect(() => addDays('2025-2-3', 1)).toThrow('Not a calendar date');
    expect(() => daysBetween('2025-03-01', '2025-03-01T00:00')).toThrow('Not a calendar date');
  });

  it('agrees with the ISO calendar on every day from 1960 to 2060 (leap years, century, epoch)', () => {
    let disagreements = 0;
    for (let day = DateTime.utc(1960, 1, 1); day.year < 2060; day = day.plus({ days: 1 })) {
      const date = day.toISODate() ?? '';
      if (weekStartOf(date) !== day.startOf('week').toISODate()) disagreements += 1;
      if (addDays(date, 400) !== day.plus({ days: 400 }).toISODate()) disagreements += 1;
      if (addDays(date, -1) !== day.minus({ days: 1 }).toISODate()) disagreements += 1;
      if (daysBetween('2000-02-29', date) !== Math.round(day.diff(DateTime.utc(2000, 2, 29), 'days').days)) {
        disagreements += 1;
      }
    }
    expect(disagreements).toBe(0);
  });
});
