import { DateTime } from 'luxon';
import { Weekday } from '@stepwise/contracts';
import {
  addDays,
  isKnownTimeZone,
  isLocalDate,
  isoWeekday,
  localDateOf,
  startOfLocalDay,
  weekStartOf,
  zonedInstant,
} from './calendar';
import { occurrencesOf } from './weekly-slots';

const NEW_YORK = 'America/New_York';
const localTime = (instant: Date, zone = NEW_YORK): string =>
  DateTime.fromJSDate(instant).setZone(zone).toFormat('yyyy-MM-dd HH:mm');

describe(occurrencesOf.name, () => {
  const sixPmMonday = { weekday: Weekday.Monday, start: '18:00', minutes: 180 };

  it('keeps a 6 pm group at 6 pm local across the March change (UTC moves from 23:00 to 22:00)', () => {
    const meetings = occurrencesOf(sixPmMonday, { from: '2025-03-01', until: '2025-03-18' }, NEW_YORK);
    expect(meetings.map((m) => m.localDate)).toEqual(['2025-03-03', '2025-03-10', '2025-03-17']);
    expect(meetings.map((m) => localTime(m.startsAt))).toEqual([
      '2025-03-03 18:00',
      '2025-03-10 18:00',
      '2025-03-17 18:00',
    ]);
    expect(meetings.map((m) => m.startsAt.toISOString())).toEqual([
      '2025-03-03T23:00:00.000Z',
      '2025-03-10T22:00:00.000Z',
      '2025-03-17T22:00:00.000Z',
    ]);
    expect(meetings.map((m) => localTime(m.endsAt))).toEqual([
      '2025-03-03 21:00',
      '2025-03-10 21:00',
      '2025-03-17 21:00',
    ]);
  });

  it('keeps a 6 pm group at 6 pm local across the November change (UTC moves from 22:00 to 23:00)', () => {
    const meetings = occurrencesOf(sixPmMonday, { from: '2025-10-25', until: '2025-11-11' }, NEW_YORK);
    expect(meetings.map((m) => m.startsAt.toISOString())).toEqual([
      '2025-10-27T22:00:00.000Z',
      '2025-11-03T23:00:00.000Z',
      '2025-11-10T23:00:00.000Z',
    ]);
    expect(meetings.map((m) => localTime(m.startsAt))).toEqual([
      '2025-10-27 18:00',
      '2025-11-03 18:00',
      '2025-11-10 18:00',
    ]);
  });

  it('places a meeting on the change day itself at local time, and its length stays in real minutes', () => {
    const sunday = { weekday: Weekday.Sunday, start: '18:00', minutes: 60 };
    const [march] = occurrencesOf(sunday, { from: '2025-03-09', until: '2025-03-10' }, NEW_YORK);
    const [november] = occurrencesOf(sunday, { from: '2025-11-02', until: '2025-11-03' }, NEW_YORK);
    expect(march?.startsAt.toISOString()).toBe('2025-03-09T22:00:00.000Z');
    expect(november?.startsAt.toISOString()).toBe('2025-11-02T23:00:00.000Z');
    expect(((november?.endsAt.getTime() ?? 0) - (november?.startsAt.getTime() ?? 0)) / 60_000).toBe(60);
  });

  it('skips closures and keeps the other weeks', () => {
    const meetings = occurrencesOf(
      sixPmMonday,
      { from: '2025-05-19', until: '2025-06-10' },
      NEW_YORK,
      new Set(['2025-05-26']),
    );
    expect(meetings.map((m) => m.localDate)).toEqual(['2025-05-19', '2025-06-02', '2025-06-09']);
  });

  it('treats the range as half-open and answers nothing for an empty or reversed range', () => {
    expect(occurrencesOf(sixPmMonday, { from: '2025-03-03', until: '2025-03-10' }, NEW_YORK)).toHaveLength(1);
    expect(occurrencesOf(sixPmMonday, { from: '2025-03-04', until: '2025-03-10' }, NEW_YORK)).toHaveLength(0);
    expect(occurrencesOf(sixPmMonday, { from: '2025-03-10', until: '2025-03-03' }, NEW_YORK)).toEqual([]);
  });

  it('uses each site its own zone: the same wall-clock slot is a different instant in Chicago', () => {
    const [chicago] = occurrencesOf(
      sixPmMonday,
      { from: '2025-03-03', until: '2025-03-04' },
      'America/Chicago',
    );
    expect(chicago?.startsAt.toISOString()).toBe('2025-03-04T00:00:00.000Z');
  });
});

describe('local dates and zones', () => {
  it('moves a time inside the skipped spring hour forward, as the wall clock does', () => {
    expect(localTime(zonedInstant('2025-03-09', '02:30', NEW_YORK))).toBe('2025-03-09 03:30');
  });

  it('dates an instant in the site zone (late evening UTC is still the same local day)', () => {
    expect(localDateOf('2025-03-04T03:30:00Z', NEW_YORK)).toBe('2025-03-03');
    expect(localDateOf(new Date('2025-03-04T05:30:00Z'), NEW_YORK)).toBe('2025-03-04');
  });

  it('finds the ISO week Monday, also across a year end', () => {
    expect(weekStartOf('2025-03-09')).toBe('2025-03-03');
    expect(weekStartOf('2025-03-10')).toBe('2025-03-10');
    expect(weekStartOf('2026-01-01')).toBe('2025-12-29');
    expect(addDays('2025-12-29', 7)).toBe('2026-01-05');
  });

  it('numbers ISO weekdays Monday 1 to Sunday 7, also across a year end', () => {
    expect(['2025-03-03', '2025-03-09', '2025-12-31', '2026-01-04'].map(isoWeekday)).toEqual([1, 7, 3, 7]);
  });

  it("starts a day at the site's midnight, or at the first instant when daylight saving skips midnight", () => {
    expect(startOfLocalDay('2025-03-03', NEW_YORK).toISOString()).toBe('2025-03-03T05:00:00.000Z');
    expect(startOfLocalDay('2025-07-01', NEW_YORK).toISOString()).toBe('2025-07-01T04:00:00.000Z');
    // Santiago moved its clocks from 00:00 to 01:00 on 2024-09-08: that day began at 01:00 local.
    expect(localTime(startOfLocalDay('2024-09-08', 'America/Santiago'), 'America/Santiago')).toBe(
      '2024-09-08 01:00',
    );
    expect(() => startOfLocalDay('2025-02-30', NEW_YORK)).toThrow('Not a calendar date');
  });

  it.each([
    ['America/New_York', true],
    ['Europe/Berlin', true],
    ['Mars/Olympus_Mons', false],
    ['EST', false],
    ['UTC+2', false],
    ['', false],
  ])('knows the zone %s: %s', (zone, known) => {
    expect(isKnownTimeZone(zone)).toBe(known);
  });

  it.each([
    ['2025-02-28', true],
    ['2024-02-29', true],
    ['2025-02-29', false],
    ['2025-13-01', false],
    ['2025-1-01', false],
  ])('knows whether %s is a calendar date', (date, valid) => {
    expect(isLocalDate(date)).toBe(valid);
  });
});
