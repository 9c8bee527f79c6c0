import { describe, expect, it } from 'vitest';
import { initialMarks, markProblems, type Mark, toEntries } from './marks';

const row = (over: Partial<Mark>): Mark => ({
  appointmentId: 'a1',
  clientId: 'c1',
  status: 'present',
  minutes: '',
  reason: '',
  ...over,
});

describe('attendance marks', () => {
  it('starts everyone present, or as recorded before', () => {
    const marks = initialMarks(
      [
        { id: 'a1', clientId: 'c1' },
        { id: 'a2', clientId: 'c2' },
      ],
      [
        {
          attendanceId: 'r2',
          appointmentId: 'a2',
          clientId: 'c2',
          status: 'late',
          minutesAttended: 50,
          reasonCode: null,
          sessionDate: '2027-03-10',
          revision: 1,
          changed: false,
        },
      ],
    );
    expect(marks.map((m) => [m.status, m.minutes])).toEqual([
      ['present', ''],
      ['late', '50'],
    ]);
  });

  it('asks for minutes within the session for late arrivals and early leavers', () => {
    expect(markProblems([row({ status: 'late', minutes: '' })], 180).get('a1')).toMatch(/1 to 180/);
    expect(markProblems([row({ status: 'left-early', minutes: '200' })], 180).size).toBe(1);
    expect(markProblems([row({ status: 'late', minutes: '12.5' })], 180).size).toBe(1);
    expect(markProblems([row({ status: 'late', minutes: '150' })], 180).size).toBe(0);
  });

  it('asks for a reason for an absence, and sends no minutes with it', () => {
    expect(markProblems([row({ status: 'absent' })], 180).get('a1')).toMatch(/reason/);
    expect(toEntries([row({ status: 'absent', reason: 'illness', minutes: '30' })])).toEqual([
      { appointmentId: 'a1', status: 'absent', reasonCode: 'illness' },
    ]);
  });

  it('sends present rows without minutes (the whole session)', () => {
    expect(toEntries([row({}), row({ appointmentId: 'a2', status: 'late', minutes: '40' })])).toEqual([
      { appointmentId: 'a1', status: 'present' },
      { appointmentId: 'a2', status: 'late', minutesAttended: 40 },
    ]);
  });
});
