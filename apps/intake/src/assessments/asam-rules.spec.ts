import { LevelOfCare } from '@stepwise/contracts';
import { SEEDED_ILLUSTRATIVE_RULE_SET_V1 } from '../migrations/1764000200000-create-assessments';
import { ILLUSTRATIVE_EXAMPLES, ILLUSTRATIVE_RULE_SET, type AsamRuleSet, recommendLevel } from './asam-rules';

describe('the illustrative ASAM rule set', () => {
  it('is labelled as not the official ASAM rules', () => {
    expect(ILLUSTRATIVE_RULE_SET.illustrative).toBe(true);
    expect(ILLUSTRATIVE_RULE_SET.label).toMatch(/NOT ASAM's official/);
  });

  it('is the set the database was seeded with (a change to it needs a new version and a migration)', () => {
    expect(JSON.parse(JSON.stringify(ILLUSTRATIVE_RULE_SET))).toEqual(SEEDED_ILLUSTRATIVE_RULE_SET_V1);
  });

  it.each(ILLUSTRATIVE_EXAMPLES.map(([ratings, level]) => [ratings.join(','), level, ratings] as const))(
    'places ratings %s at level %s',
    (_name, level, ratings) => {
      expect(recommendLevel(ILLUSTRATIVE_RULE_SET, ratings)).toBe(level);
    },
  );
});

describe('rule evaluation', () => {
  const set: AsamRuleSet = {
    code: 'local',
    version: 2,
    label: 'Local',
    illustrative: false,
    rules: [
      {
        level: LevelOfCare.PartialHospitalization,
        all: [
          { dimension: 1, atLeast: 2 },
          { dimension: 5, atLeast: 2 },
        ],
      },
      { level: LevelOfCare.IntensiveOutpatient, any: [{ dimension: 5, atLeast: 2 }] },
    ],
    fallbackLevel: LevelOfCare.Outpatient,
  };

  it('takes the first rule that matches, requiring every `all` condition', () => {
    expect(recommendLevel(set, [2, 0, 0, 0, 2, 0])).toBe(LevelOfCare.PartialHospitalization);
    expect(recommendLevel(set, [1, 0, 0, 0, 2, 0])).toBe(LevelOfCare.IntensiveOutpatient);
  });

  it('falls back when nothing matches', () => {
    expect(recommendLevel(set, [4, 4, 4, 4, 1, 4])).toBe(LevelOfCare.Outpatient);
  });
});
