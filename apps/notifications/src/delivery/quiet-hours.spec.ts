import { parseQuietHours, quietHoursEnd } from './quiet-hours';

describe('quietHoursEnd', () => {
  const night = parseQuietHours('21:00-08:00');
  const zone = 'America/Chicago';

  it.each([
    ['20:59 is before the window', '2025-03-05T02:59:00Z', undefined],
    [
      '21:00 starts it: wait until 08:00 the next morning',
      '2025-03-05T03:00:00Z',
      '2025-03-05T14:00:00.000Z',
    ],
    [
      '03:00 is inside: wait until 08:00 the same morning',
      '2025-03-05T09:00:00Z',
      '2025-03-05T14:00:00.000Z',
    ],
    ['08:00 ends it', '2025-03-05T14:00:00Z', undefined],
  ])('%s', (_, instant, expected) => {
    expect(quietHoursEnd(new Date(instant), night, zone)?.toISOString()).toBe(expected);
  });

  it('ends at 08:00 local time across the spring daylight-saving change (CST → CDT)', () => {
    // 2025-03-09 02:00 local the clocks jump to 03:00; 08:00 CDT is 13:00 UTC, not 14:00.
    expect(quietHoursEnd(new Date('2025-03-09T06:00:00Z'), night, zone)?.toISOString()).toBe(
      '2025-03-09T13:00:00.000Z',
    );
  });

  it('handles a window inside one day and an empty one', () => {
    const noon = parseQuietHours('12:00-13:00');
    expect(quietHoursEnd(new Date('2025-03-05T12:30:00Z'), noon, 'UTC')?.toISOString()).toBe(
      '2025-03-05T13:00:00.000Z',
    );
    expect(quietHoursEnd(new Date('2025-03-05T13:30:00Z'), noon, 'UTC')).toBeUndefined();
    expect(
      quietHoursEnd(new Date('2025-03-05T12:30:00Z'), parseQuietHours('12:00-12:00'), 'UTC'),
    ).toBeUndefined();
  });
});
