import { SessionType, Weekday } from '@stepwise/contracts';
import { findIndividualStart } from './individual-slot';

const slot = {
  weekday: Weekday.Wednesday,
  start: '16:00',
  minutes: 60,
  sessionType: SessionType.IndividualCounseling,
};

describe(findIndividualStart.name, () => {
  it('takes the slot start when the counselor and client are free', () => {
    expect(findIndividualStart(slot, [])).toBe('16:00');
    expect(findIndividualStart(slot, [{ weekday: Weekday.Monday, start_time: '16:00', minutes: 60 }])).toBe(
      '16:00',
    );
  });

  it('moves past overlapping commitments in steps of the session length', () => {
    const busy = [
      { weekday: Weekday.Wednesday, start_time: '16:00', minutes: 60 },
      { weekday: Weekday.Wednesday, start_time: '17:30', minutes: 30 },
    ];
    expect(findIndividualStart(slot, busy)).toBe('18:00');
  });

  it('treats back-to-back as free and answers undefined when the day is full', () => {
    expect(
      findIndividualStart(slot, [{ weekday: Weekday.Wednesday, start_time: '15:00', minutes: 60 }]),
    ).toBe('16:00');
    expect(
      findIndividualStart(slot, [{ weekday: Weekday.Wednesday, start_time: '16:00', minutes: 360 }]),
    ).toBe(undefined);
  });
});
