import { LevelOfCare, Population } from '@stepwise/contracts';
import { attended, episode, missed } from './rule-fixtures';
import { billableWeeks, closedWeeks, judgeWeeks, minutesByWeek } from './weekly-hours';
import { ILLUSTRATIVE_PROGRAM_SHAPE } from './illustrative-rules';
import { IOP_BILLING_RULE_V1, weeklyMinimum } from './versioned-data';

describe('weekly hours', () => {
  const adultIop = weeklyMinimum(
    ILLUSTRATIVE_PROGRAM_SHAPE,
    LevelOfCare.IntensiveOutpatient,
    Population.Adult,
  );

  it('takes the minimum from versioned data: 9 h adults, 6 h adolescents, 20 h PHP, none for level 1', () => {
    expect(adultIop).toBe(540);
    expect(
      weeklyMinimum(ILLUSTRATIVE_PROGRAM_SHAPE, LevelOfCare.IntensiveOutpatient, Population.Adolescent),
    ).toBe(360);
    expect(
      weeklyMinimum(ILLUSTRATIVE_PROGRAM_SHAPE, LevelOfCare.PartialHospitalization, Population.Adult),
    ).toBe(1200);
    expect(
      weeklyMinimum(ILLUSTRATIVE_PROGRAM_SHAPE, LevelOfCare.Outpatient, Population.Adult),
    ).toBeUndefined();
  });

  it('is short at 8:59 and not at 9:00 for an adult in IOP', () => {
    const facts = (minutes: number) =>
      episode({
        attendance: [
          attended('2025-01-06', 180),
          attended('2025-01-08', 180),
          attended('2025-01-10', minutes),
        ],
      });
    expect(judgeWeeks(facts(179), ['2025-01-06'], adultIop)).toEqual([
      { weekStart: '2025-01-06', attendedMinutes: 539, requiredMinutes: 540, short: true },
    ]);
    expect(judgeWeeks(facts(180), ['2025-01-06'], adultIop)[0]?.short).toBe(false);
  });

  it('counts only attended minutes, by the ISO week of the session date', () => {
    const totals = minutesByWeek([
      attended('2025-01-12', 100),
      attended('2025-01-13', 60, 'late'),
      attended('2025-01-14', 30, 'left-early'),
      missed('2025-01-15'),
    ]);
    expect([...totals.entries()]).toEqual([
      ['2025-01-06', 100],
      ['2025-01-13', 90],
    ]);
  });

  it('closes a week only after its Sunday, by a later-dated fact or by the clock', () => {
    const facts = episode({ admittedOn: '2025-01-06' });
    expect(closedWeeks(facts, '2025-01-12', '2025-01-12')).toEqual([]);
    expect(closedWeeks(facts, '2025-01-13', '2025-01-08')).toEqual(['2025-01-06']);
    expect(closedWeeks(facts, '2025-01-08', '2025-01-13')).toEqual(['2025-01-06']);
    expect(closedWeeks(facts, '2025-01-20', '2025-01-08')).toEqual(['2025-01-06', '2025-01-13']);
  });

  it('never judges a partial first week or a week cut by discharge', () => {
    expect(closedWeeks(episode({ admittedOn: '2025-01-07' }), '2025-01-21', '2025-01-21')).toEqual([
      '2025-01-13',
    ]);
    expect(
      closedWeeks(
        episode({ admittedOn: '2025-01-06', dischargedOn: '2025-01-16' }),
        '2025-01-30',
        '2025-01-30',
      ),
    ).toEqual(['2025-01-06']);
  });

  it('judges nothing short where the level has no minimum', () => {
    expect(judgeWeeks(episode(), ['2025-01-06'], undefined)[0]).toMatchObject({
      short: false,
      requiredMinutes: 0,
    });
  });

  it('bills days with at least 3 hours attended, 179 minutes is not a day', () => {
    const weeks = billableWeeks(
      [
        attended('2025-01-06', 180),
        attended('2025-01-07', 179),
        attended('2025-01-08', 90),
        attended('2025-01-08', 90, 'late'),
        missed('2025-01-09'),
        attended('2025-01-13', 200),
      ],
      IOP_BILLING_RULE_V1,
    );
    expect(weeks).toEqual([
      { weekStart: '2025-01-06', billableDays: ['2025-01-06', '2025-01-08'], attendedMinutes: 539 },
      { weekStart: '2025-01-13', billableDays: ['2025-01-13'], attendedMinutes: 200 },
    ]);
  });
});
