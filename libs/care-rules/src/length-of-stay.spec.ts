import { LevelOfCare, Population } from '@stepwise/contracts';
import { ILLUSTRATIVE_PROGRAM_SHAPE } from './illustrative-rules';
import { expectedStay, stayReachedOn } from './length-of-stay';
import { programShapeFor } from './versioned-data';

const adultIop = programShapeFor(
  ILLUSTRATIVE_PROGRAM_SHAPE,
  LevelOfCare.IntensiveOutpatient,
  Population.Adult,
);

describe('the expected length of stay', () => {
  it("is the track's own when it sets one, else its level's in the program shape in force", () => {
    expect(expectedStay(8, adultIop, ILLUSTRATIVE_PROGRAM_SHAPE.id)).toEqual({
      weeks: 8,
      ruleSetId: undefined,
    });
    expect(expectedStay(null, adultIop, ILLUSTRATIVE_PROGRAM_SHAPE.id)).toEqual({
      weeks: adultIop?.expectedStayWeeks,
      ruleSetId: 'illustrative-program-shape@1',
    });
    const php = programShapeFor(
      ILLUSTRATIVE_PROGRAM_SHAPE,
      LevelOfCare.PartialHospitalization,
      Population.Adult,
    );
    expect(expectedStay(undefined, php, ILLUSTRATIVE_PROGRAM_SHAPE.id)).toBeUndefined();
  });

  it('is reached on admission plus the weeks, to the day (across a daylight-saving change)', () => {
    expect(stayReachedOn('2025-01-06', 12)).toBe('2025-03-31');
    expect(stayReachedOn('2025-03-03', 1)).toBe('2025-03-10');
  });
});
