import { ProblemException } from '@stepwise/security';
import { MAX_RANGE_DAYS, calendarPage, sessionInterval } from './calendar-rules';

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    return e instanceof ProblemException ? e.code : 'not a problem';
  }
};

describe('calendarPage', () => {
  it('turns a range of up to 92 days into a page of the default size', () => {
    expect(calendarPage({ from: '2027-03-01', to: '2027-05-31' })).toEqual({
      from: '2027-03-01',
      to: '2027-05-31',
      limit: 25,
    });
    expect(MAX_RANGE_DAYS).toBe(92);
  });

  it('refuses an empty or reversed range and one wider than 92 days', () => {
    expect(codeOf(() => calendarPage({ from: '2027-03-01', to: '2027-03-01' }))).toBe('validation-failed');
    expect(codeOf(() => calendarPage({ from: '2027-03-02', to: '2027-03-01' }))).toBe('validation-failed');
    expect(codeOf(() => calendarPage({ from: '2027-03-01', to: '2027-06-02' }))).toBe('validation-failed');
  });
});

describe('sessionInterval', () => {
  it('gives the instants of a session', () => {
    const { start, end } = sessionInterval('2027-03-10T15:00:00-05:00', '2027-03-10T16:00:00-05:00');
    expect([start.toISOString(), end.toISOString()]).toEqual([
      '2027-03-10T20:00:00.000Z',
      '2027-03-10T21:00:00.000Z',
    ]);
  });

  it('refuses a session that ends before it starts or lasts more than 8 hours', () => {
    expect(codeOf(() => sessionInterval('2027-03-10T15:00:00Z', '2027-03-10T15:00:00Z'))).toBe(
      'validation-failed',
    );
    expect(codeOf(() => sessionInterval('2027-03-10T08:00:00Z', '2027-03-10T16:00:01Z'))).toBe(
      'validation-failed',
    );
  });
});
