import { describe, expect, it } from 'vitest';
import { addDays, humanize, localDate, parseDate, timeRange } from './dates';

describe('dates', () => {
  it('takes the calendar date in the site zone, not UTC', () => {
    const lateEvening = new Date('2027-03-11T03:30:00Z');
    expect(localDate(lateEvening, 'America/New_York')).toBe('2027-03-10');
    expect(localDate(lateEvening, 'UTC')).toBe('2027-03-11');
  });

  it('accepts only real dates from the address bar', () => {
    expect(parseDate('2027-02-28')).toBe('2027-02-28');
    expect(parseDate('2027-02-30')).toBeUndefined();
    expect(parseDate('tomorrow')).toBeUndefined();
    expect(parseDate(null)).toBeUndefined();
  });

  it('moves across month and year ends', () => {
    expect(addDays('2027-12-31', 1)).toBe('2028-01-01');
    expect(addDays('2027-03-01', -1)).toBe('2027-02-28');
  });

  it('shows clock times in the given zone', () => {
    expect(timeRange('2027-03-10T23:00:00Z', '2027-03-11T00:30:00Z', 'America/New_York')).toBe(
      '6:00 PM–7:30 PM',
    );
    expect(humanize('process-group')).toBe('Process group');
  });
});
