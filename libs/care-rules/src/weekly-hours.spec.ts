import { LevelOfCare, Population } from '@stepwise/contracts';
import { attended, episode, missed } from './rule-fixtures';
import { closedWeeks, judgeWeeks, minimumOfWeek, minutesByWeek, weekClosesAt } from './weekly-hours';
import { ILLUSTRATIVE_PROGRAM_POLICY, ILLUSTRATIVE_PROGRAM_SHAPE } from './illustrative-rules';
import { weeklyMinimum } from './versioned-data';

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

  const UTC = 'UTC';
  const at = (instant: string) => new Date(instant);

  it('closes a week only after its Sunday, by a later-dated fact or by the clock (no grace)', () => {
    const facts = episode({ admittedOn: '2025-01-06' });
    expect(closedWeeks(facts, '2025-01-12', at('2025-01-12T12:00:00Z'), UTC, 0)).toEqual([]);
    expect(closedWeeks(facts, '2025-01-13', at('2025-01-08T00:00:00Z'), UTC, 0)).toEqual(['2025-01-06']);
    expect(closedWeeks(facts, '2025-01-08', at('2025-01-13T00:00:00Z'), UTC, 0)).toEqual(['2025-01-06']);
    expect(closedWeeks(facts, '2025-01-20', at('2025-01-08T00:00:00Z'), UTC, 0)).toEqual([
      '2025-01-06',
      '2025-01-13',
    ]);
  });

  it('closes a week 48 h after its local end under the illustrative policy: Tuesday 23:59 open, Wednesday 00:00 closed', () => {
    const facts = episode({ admittedOn: '2025-03-03' });
    const grace = ILLUSTRATIVE_PROGRAM_POLICY.programPolicy.documentationGraceHours;
    // The week of 3 March ends Monday 10 March 00:00 in Chicago (05:00 UTC, daylight saving began on the 9th).
    expect(weekClosesAt('2025-03-03', 'America/Chicago', grace).toISOString()).toBe(
      '2025-03-12T05:00:00.000Z',
    );
    const chicago = (instant: string, latest = '2025-03-10') =>
      closedWeeks(facts, latest, at(instant), 'America/Chicago', grace);
    expect(chicago('2025-03-12T04:59:59Z')).toEqual([]);
    expect(chicago('2025-03-12T05:00:00Z')).toEqual(['2025-03-03']);
    // A session dated Tuesday 11 March does not close the week; one dated Wednesday 12 March does.
    expect(chicago('2025-03-10T15:00:00Z', '2025-03-11')).toEqual([]);
    expect(chicago('2025-03-10T15:00:00Z', '2025-03-12')).toEqual(['2025-03-03']);
    // A track's own grace: 24 h.
    expect(closedWeeks(facts, '2025-03-10', at('2025-03-11T05:00:00Z'), 'America/Chicago', 24)).toEqual([
      '2025-03-03',
    ]);
  });

  it('never judges a partial first week or a week cut by discharge', () => {
    expect(
      closedWeeks(episode({ admittedOn: '2025-01-07' }), '2025-01-21', at('2025-01-21T00:00:00Z'), UTC, 0),
    ).toEqual(['2025-01-13']);
    expect(
      closedWeeks(
        episode({ admittedOn: '2025-01-06', dischargedOn: '2025-01-16' }),
        '2025-01-30',
        at('2025-01-30T00:00:00Z'),
        UTC,
        0,
      ),
    ).toEqual(['2025-01-06']);
  });

  it('judges each week against the level in force that week: the week before and after a step-down', () => {
    const levels = [
      { level: LevelOfCare.PartialHospitalization, from: '2025-03-03T15:00:00.000Z' },
      // Stepped down on Wednesday 19 March, 10:00 in Chicago.
      { level: LevelOfCare.IntensiveOutpatient, from: '2025-03-19T15:00:00.000Z' },
      // Stepped down to outpatient on Monday 31 March, 00:00 in Chicago, exactly at the week's start.
      { level: LevelOfCare.Outpatient, from: '2025-03-31T05:00:00.000Z' },
    ];
    const of = (week: string) =>
      minimumOfWeek(levels, week, 'America/Chicago', Population.Adult, ILLUSTRATIVE_PROGRAM_SHAPE);
    expect(of('2025-03-10')).toEqual({ level: LevelOfCare.PartialHospitalization, requiredMinutes: 1200 });
    expect(of('2025-03-17')).toEqual({ level: LevelOfCare.IntensiveOutpatient, requiredMinutes: 540 });
    expect(of('2025-03-24')).toEqual({ level: LevelOfCare.IntensiveOutpatient, requiredMinutes: 540 });
    expect(of('2025-03-31')).toEqual({ level: LevelOfCare.Outpatient, requiredMinutes: undefined });
    expect(of('2025-02-24')).toBeUndefined();
  });

  it('judges nothing short where the level has no minimum', () => {
    expect(judgeWeeks(episode(), ['2025-01-06'], undefined)[0]).toMatchObject({
      short: false,
      requiredMinutes: 0,
    });
  });
});
