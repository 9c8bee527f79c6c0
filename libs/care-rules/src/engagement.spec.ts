import { DrugScreenResult } from '@stepwise/contracts';
import { absenceRuns, positiveScreenRuns, shortWeekRuns, trailingAbsences } from './engagement';
import { attended, missed, screen } from './rule-fixtures';

describe('engagement risk', () => {
  it('finds a run of unexcused absences at the threshold and not below it', () => {
    const two = [attended('2025-01-06'), missed('2025-01-07'), missed('2025-01-08')];
    expect(absenceRuns(two, 3)).toEqual([]);
    expect(absenceRuns([...two, missed('2025-01-09')], 3)).toEqual([{ since: '2025-01-07', count: 3 }]);
  });

  it('lets an excused absence neither count nor break a run, and an attendance end it', () => {
    const facts = [
      missed('2025-01-07'),
      missed('2025-01-08', 'excused'),
      missed('2025-01-09'),
      attended('2025-01-10'),
      missed('2025-01-13'),
    ];
    expect(absenceRuns(facts, 2)).toEqual([{ since: '2025-01-07', count: 2 }]);
    expect(absenceRuns([...facts, missed('2025-01-14')], 2)).toHaveLength(2);
  });

  it('orders facts by date whatever order they arrive in', () => {
    expect(absenceRuns([missed('2025-01-09'), attended('2025-01-08'), missed('2025-01-07')], 2)).toEqual([]);
    expect(
      trailingAbsences(
        [missed('2025-01-09'), attended('2025-01-07'), missed('2025-01-08', 'excused')],
        '2025-01-09',
      ),
    ).toBe(1);
    expect(trailingAbsences([missed('2025-01-09'), missed('2025-01-10')], '2025-01-09')).toBe(1);
  });

  it('finds repeated positive screens; a negative breaks the run, a dilute does not', () => {
    const P = DrugScreenResult.Positive;
    expect(positiveScreenRuns([screen('2025-01-06', P)], 2)).toEqual([]);
    expect(
      positiveScreenRuns(
        [screen('2025-01-06', P), screen('2025-01-08', DrugScreenResult.Dilute), screen('2025-01-10', P)],
        2,
      ),
    ).toEqual([{ since: '2025-01-06', count: 2 }]);
    expect(
      positiveScreenRuns([screen('2025-01-06', P), screen('2025-01-08'), screen('2025-01-10', P)], 2),
    ).toEqual([]);
  });

  it('finds short weeks in a row at the threshold', () => {
    const week = (weekStart: string, short: boolean) => ({ weekStart, short });
    expect(
      shortWeekRuns([week('2025-01-06', true), week('2025-01-13', false), week('2025-01-20', true)], 2),
    ).toEqual([]);
    expect(shortWeekRuns([week('2025-01-20', true), week('2025-01-13', true)], 2)).toEqual([
      { since: '2025-01-13', count: 2 },
    ]);
  });
});
