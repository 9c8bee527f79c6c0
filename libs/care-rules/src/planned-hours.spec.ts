import { LevelOfCare, Population, ProgramShapeBreach } from '@stepwise/contracts';
import { type PlannedSession, shapeBreaches, weeksBelowMinimum, weeksOutsideShape } from './planned-hours';
import { ILLUSTRATIVE_PROGRAM_SHAPE } from './illustrative-rules';
import { type ProgramShape, programShapeFor, weeklyMinimum } from './versioned-data';

const requiredWeeklyMinutes = (level: LevelOfCare, population: Population): number | undefined =>
  weeklyMinimum(ILLUSTRATIVE_PROGRAM_SHAPE, level, population);

/** A planned week of sessions on Monday 2025-03-03 … adding up to `minutes`. */
const weekOf = (minutes: number, monday = '2025-03-03'): PlannedSession[] => [
  { localDate: monday, minutes: minutes - 120 },
  { localDate: monday.replace(/03$/, '05'), minutes: 120 },
];
const window = { enrolledFrom: '2025-03-03', plannedUntil: '2025-03-10' };

describe('the weekly minimums planned weeks are judged against', () => {
  it('reads the versioned minimums: 2.1 adults 9 h, adolescents 6 h; 2.5 20 h', () => {
    expect(ILLUSTRATIVE_PROGRAM_SHAPE.id).toBe('illustrative-program-shape@1');
    expect(requiredWeeklyMinutes(LevelOfCare.IntensiveOutpatient, Population.Adult)).toBe(540);
    expect(requiredWeeklyMinutes(LevelOfCare.IntensiveOutpatient, Population.Adolescent)).toBe(360);
    expect(requiredWeeklyMinutes(LevelOfCare.PartialHospitalization, Population.Adult)).toBe(1200);
    expect(requiredWeeklyMinutes(LevelOfCare.Outpatient, Population.Adult)).toBeUndefined();
  });
});

describe(weeksBelowMinimum.name, () => {
  const adult21 = requiredWeeklyMinutes(LevelOfCare.IntensiveOutpatient, Population.Adult);
  const adolescent21 = requiredWeeklyMinutes(LevelOfCare.IntensiveOutpatient, Population.Adolescent);
  const adult25 = requiredWeeklyMinutes(LevelOfCare.PartialHospitalization, Population.Adult);

  it('flags an adult at 2.1 planned 8 h 59 min, not one planned 9 h 00 min', () => {
    expect(weeksBelowMinimum(weekOf(539), window, adult21)).toEqual([
      { weekStart: '2025-03-03', plannedMinutes: 539, requiredMinutes: 540 },
    ]);
    expect(weeksBelowMinimum(weekOf(540), window, adult21)).toEqual([]);
  });

  it('flags an adolescent at 2.1 planned 5 h 59 min, not one planned 6 h 00 min', () => {
    expect(weeksBelowMinimum(weekOf(359), window, adolescent21)).toEqual([
      { weekStart: '2025-03-03', plannedMinutes: 359, requiredMinutes: 360 },
    ]);
    expect(weeksBelowMinimum(weekOf(360), window, adolescent21)).toEqual([]);
  });

  it('flags 2.5 below 20 h', () => {
    expect(weeksBelowMinimum(weekOf(1199), window, adult25)).toHaveLength(1);
    expect(weeksBelowMinimum(weekOf(1200), window, adult25)).toEqual([]);
  });

  it('flags a full week with nothing planned (e.g. a closure week) at 0 minutes', () => {
    const twoWeeks = { enrolledFrom: '2025-03-03', plannedUntil: '2025-03-17' };
    expect(weeksBelowMinimum(weekOf(600), twoWeeks, adult21)).toEqual([
      { weekStart: '2025-03-10', plannedMinutes: 0, requiredMinutes: 540 },
    ]);
  });

  it('judges only weeks the client is enrolled for in full, and only planned weeks', () => {
    const midWeek = { enrolledFrom: '2025-03-05', plannedUntil: '2025-03-16' };
    expect(weeksBelowMinimum([{ localDate: '2025-03-05', minutes: 60 }], midWeek, adult21)).toEqual([]);
    const partialLastWeek = { enrolledFrom: '2025-03-03', plannedUntil: '2025-03-16' };
    expect(weeksBelowMinimum(weekOf(540), partialLastWeek, adult21)).toEqual([]);
  });

  it('has nothing to say for a level without a minimum', () => {
    expect(weeksBelowMinimum([], window, undefined)).toEqual([]);
  });
});

describe('the program shape of a planned week (illustrative adult IOP: 3 to 5 days, under 20 hours)', () => {
  const shape = programShapeFor(
    ILLUSTRATIVE_PROGRAM_SHAPE,
    LevelOfCare.IntensiveOutpatient,
    Population.Adult,
  ) as ProgramShape;

  it('needs 3 days: 2 breaks it, 3 does not', () => {
    expect(shapeBreaches({ minutes: 600, days: 2 }, shape)).toEqual([ProgramShapeBreach.TooFewDays]);
    expect(shapeBreaches({ minutes: 600, days: 3 }, shape)).toEqual([]);
  });

  it('allows 5 days, not 6', () => {
    expect(shapeBreaches({ minutes: 600, days: 5 }, shape)).toEqual([]);
    expect(shapeBreaches({ minutes: 600, days: 6 }, shape)).toEqual([ProgramShapeBreach.TooManyDays]);
  });

  it('stays under 20 hours: 19:59 is IOP, 20:00 is not', () => {
    expect(shapeBreaches({ minutes: 19 * 60 + 59, days: 5 }, shape)).toEqual([]);
    expect(shapeBreaches({ minutes: 20 * 60, days: 5 }, shape)).toEqual([
      ProgramShapeBreach.AtOrAboveLevelBound,
    ]);
  });

  it('judges only the weeks enrolled in full, an unplanned one as 0 days', () => {
    const weeks = weeksOutsideShape(
      [
        { weekStart: '2027-03-08', minutes: 540, days: 3 },
        { weekStart: '2027-03-15', minutes: 1200, days: 2 },
      ],
      { enrolledFrom: '2027-03-03', plannedUntil: '2027-03-29' },
      shape,
    );
    expect(weeks.map((w) => [w.weekStart, w.breaches])).toEqual([
      ['2027-03-15', [ProgramShapeBreach.TooFewDays, ProgramShapeBreach.AtOrAboveLevelBound]],
      ['2027-03-22', [ProgramShapeBreach.TooFewDays]],
    ]);
    expect(
      weeksOutsideShape([], { enrolledFrom: '2027-03-03', plannedUntil: '2027-03-29' }, undefined),
    ).toEqual([]);
  });
});
