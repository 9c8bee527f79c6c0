import { describe, expect, it } from 'vitest';
import { hours, weekOf } from './week-hours';

const week = (weekStart: string, attendedMinutes: number) => ({
  weekStart,
  attendedMinutes,
  requiredMinutes: 540,
  closed: false,
  short: false,
});

describe('week hours', () => {
  it("finds the session's week, Monday to Sunday", () => {
    const weeks = [week('2027-03-01', 540), week('2027-03-08', 180)];
    expect(weekOf(weeks, '2027-03-14')?.attendedMinutes).toBe(180);
    expect(weekOf(weeks, '2027-03-08')?.attendedMinutes).toBe(180);
    expect(weekOf(weeks, '2027-03-07')?.attendedMinutes).toBe(540);
    expect(weekOf(weeks, '2027-03-15')).toBeUndefined();
  });

  it('rounds hours to a tenth', () => {
    expect(hours(180)).toBe('3');
    expect(hours(170)).toBe('2.8');
  });
});
