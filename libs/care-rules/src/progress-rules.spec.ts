import { DrugScreenResult, LevelOfCare, Population } from '@stepwise/contracts';
import { addDays } from './calendar';
import { type AttendanceFact, type EpisodeFacts } from './facts';
import { atLeast, evaluateStepDown, evaluateStepUp } from './progress-rules';
import { assessment, attended, episode, missed, review, screen } from './rule-fixtures';
import { progressRuleSetFor } from './rules-in-force';
import { type ProgressRuleSet } from './versioned-data';

const rules = progressRuleSetFor(LevelOfCare.IntensiveOutpatient, Population.Adult) as ProgressRuleSet;
const ADMITTED = '2025-01-06';
const AS_OF = '2025-02-17'; // exactly 6 weeks after admission

/** `total` sessions spread over the 27 days up to `asOf`, the first `attendedCount` attended. */
function windowOf(asOf: string, total: number, attendedCount: number): AttendanceFact[] {
  return Array.from({ length: total }, (_, i) =>
    i < attendedCount ? attended(addDays(asOf, -(i % 27))) : missed(addDays(asOf, -(i % 27))),
  );
}

/** An episode meeting every step-down criterion exactly at its threshold on AS_OF. */
function ready(overrides: Partial<EpisodeFacts> = {}): EpisodeFacts {
  return episode({
    admittedOn: ADMITTED,
    attendance: windowOf(AS_OF, 20, 17),
    screens: [screen('2025-02-03'), screen('2025-02-10'), screen('2025-02-14')],
    reviews: [review('2025-02-05', 4, 5)],
    assessments: [assessment('2025-02-12', [1, 1, 2, 2, 2, 2])],
    ...overrides,
  });
}

describe('step-down rule', () => {
  it('recommends when every criterion holds at its threshold, citing the evidence', () => {
    const outcome = evaluateStepDown(ready(), rules, AS_OF);
    expect(outcome).toMatchObject({
      direction: 'step-down',
      toLevel: LevelOfCare.Outpatient,
      recommended: true,
    });
    expect(outcome.evidence).toMatchObject({
      weeksInProgram: 6,
      attendanceRate: 0.85,
      consecutiveNegativeScreens: 3,
      goalsMet: 4,
      goalsTotal: 5,
      dimensionRatings: [1, 1, 2, 2, 2, 2],
    });
  });

  it('compares shares exactly: 84.9 % is below 85 %, 85 % is not', () => {
    expect(atLeast(849, 1000, 8500)).toBe(false);
    expect(atLeast(850, 1000, 8500)).toBe(true);
    expect(atLeast(0, 0, 0)).toBe(false);
    // 45 of 53 sessions is 84.9 %.
    const outcome = evaluateStepDown(ready({ attendance: windowOf(AS_OF, 53, 45) }), rules, AS_OF);
    expect(outcome.criteria).toEqual(['attendance']);
    expect(evaluateStepDown(ready({ attendance: windowOf(AS_OF, 40, 34) }), rules, AS_OF).recommended).toBe(
      true,
    );
  });

  it('counts attendance over the last 4 weeks only, excused absences aside', () => {
    const old = [missed(addDays(AS_OF, -28)), missed(addDays(AS_OF, -40))];
    expect(
      evaluateStepDown(ready({ attendance: [...windowOf(AS_OF, 20, 17), ...old] }), rules, AS_OF).recommended,
    ).toBe(true);
    const excused = [missed(AS_OF, 'excused'), missed(addDays(AS_OF, -1), 'excused')];
    expect(
      evaluateStepDown(ready({ attendance: [...windowOf(AS_OF, 20, 17), ...excused] }), rules, AS_OF)
        .recommended,
    ).toBe(true);
    expect(
      evaluateStepDown(ready({ attendance: [...windowOf(AS_OF, 20, 17), missed(AS_OF)] }), rules, AS_OF)
        .criteria,
    ).toEqual(['attendance']);
  });

  it('needs 6 weeks in program: 5 weeks and 6 days is not enough', () => {
    expect(evaluateStepDown(ready({ admittedOn: addDays(ADMITTED, 1) }), rules, AS_OF).criteria).toEqual([
      'weeks-in-program',
    ]);
  });

  it('needs 3 negative screens in a row: 2 are not enough, and a later dilute restarts the count', () => {
    const two = [screen('2025-02-03', DrugScreenResult.Positive), screen('2025-02-10'), screen('2025-02-14')];
    expect(evaluateStepDown(ready({ screens: two }), rules, AS_OF).criteria).toEqual(['negative-screens']);
    const dilute = [...ready().screens, screen('2025-02-16', DrugScreenResult.Dilute)];
    expect(evaluateStepDown(ready({ screens: dilute }), rules, AS_OF).criteria).toEqual(['negative-screens']);
  });

  it('needs 80 % of goals met at the latest review: 39 of 49 is not, 40 of 50 is', () => {
    expect(
      evaluateStepDown(ready({ reviews: [review('2025-02-05', 39, 49)] }), rules, AS_OF).criteria,
    ).toEqual(['goals-met']);
    expect(
      evaluateStepDown(ready({ reviews: [review('2025-02-05', 40, 50)] }), rules, AS_OF).recommended,
    ).toBe(true);
    const newer = [review('2025-02-05', 4, 5), review('2025-02-15', 1, 5)];
    expect(evaluateStepDown(ready({ reviews: newer }), rules, AS_OF).criteria).toEqual(['goals-met']);
    expect(evaluateStepDown(ready({ reviews: [] }), rules, AS_OF).criteria).toEqual(['goals-met']);
  });

  it('needs each dimension of the latest assessment at or under its threshold', () => {
    const over = [assessment('2025-02-12', [1, 1, 2, 3, 2, 2])];
    expect(evaluateStepDown(ready({ assessments: over }), rules, AS_OF).criteria).toEqual([
      'dimension-ratings',
    ]);
    const improved = [
      assessment('2025-01-10', [3, 3, 3, 3, 3, 3]),
      assessment('2025-02-12', [0, 0, 0, 0, 0, 0]),
    ];
    expect(evaluateStepDown(ready({ assessments: improved }), rules, AS_OF).recommended).toBe(true);
    expect(evaluateStepDown(ready({ assessments: [] }), rules, AS_OF)).toMatchObject({
      recommended: false,
      evidence: undefined,
    });
  });

  it('counts weeks at the current level: PHP steps down after 3 weeks in PHP, not 3 weeks since admission', () => {
    const php = progressRuleSetFor(LevelOfCare.PartialHospitalization, Population.Adult) as ProgressRuleSet;
    // Admitted to IOP 6 weeks before AS_OF, stepped up to PHP on 2025-01-27: exactly 3 weeks before AS_OF.
    const steppedUp = (levelSinceOn: string) => ready({ levelSinceOn });
    expect(evaluateStepDown(steppedUp('2025-01-27'), php, AS_OF)).toMatchObject({
      recommended: true,
      toLevel: LevelOfCare.IntensiveOutpatient,
    });
    // One day later into PHP: 20 days at the level, still 6 weeks since admission — not yet.
    expect(evaluateStepDown(steppedUp('2025-01-28'), php, AS_OF).criteria).toEqual(['weeks-in-program']);
    // Back at IOP after PHP: the 6 weeks of IOP restart at the step-down.
    expect(evaluateStepDown(steppedUp('2025-01-27'), rules, AS_OF).criteria).toEqual(['weeks-in-program']);
    expect(evaluateStepDown(ready({ levelSinceOn: null }), rules, AS_OF).recommended).toBe(true);
  });

  it('reads only facts dated up to the evaluation date, in any arrival order', () => {
    const facts = ready();
    const later = {
      ...facts,
      screens: [...facts.screens, screen(addDays(AS_OF, 1), DrugScreenResult.Positive)],
    };
    expect(evaluateStepDown(later, rules, AS_OF).recommended).toBe(true);
    const shuffled = {
      ...facts,
      attendance: [...facts.attendance].reverse(),
      screens: [...facts.screens].reverse(),
    };
    expect(evaluateStepDown(shuffled, rules, AS_OF)).toEqual(evaluateStepDown(facts, rules, AS_OF));
  });
});

describe('step-up rule', () => {
  const base = (overrides: Partial<EpisodeFacts> = {}): EpisodeFacts =>
    episode({
      admittedOn: ADMITTED,
      attendance: windowOf(AS_OF, 10, 10),
      assessments: [assessment('2025-01-06', [2, 1, 2, 2, 3, 2])],
      ...overrides,
    });
  const P = DrugScreenResult.Positive;

  it('fires on 2 positive screens within 14 days, not on 1, nor on 2 that are 14 days apart', () => {
    expect(evaluateStepUp(base({ screens: [screen(AS_OF, P)] }), rules, AS_OF).recommended).toBe(false);
    const two = evaluateStepUp(
      base({ screens: [screen(addDays(AS_OF, -13), P), screen(AS_OF, P)] }),
      rules,
      AS_OF,
    );
    expect(two).toMatchObject({
      recommended: true,
      criteria: ['positive-screens'],
      toLevel: LevelOfCare.PartialHospitalization,
    });
    expect(two.evidence?.recentPositiveScreens).toBe(2);
    expect(
      evaluateStepUp(base({ screens: [screen(addDays(AS_OF, -14), P), screen(AS_OF, P)] }), rules, AS_OF)
        .recommended,
    ).toBe(false);
  });

  it('fires on attendance below 50 % over 2 weeks: 4 of 9 does, 5 of 10 does not', () => {
    const low = (total: number, came: number): AttendanceFact[] =>
      Array.from({ length: total }, (_, i) =>
        i < came ? attended(addDays(AS_OF, -(i % 13))) : missed(addDays(AS_OF, -(i % 13))),
      );
    expect(evaluateStepUp(base({ attendance: low(9, 4) }), rules, AS_OF)).toMatchObject({
      recommended: true,
      criteria: ['attendance'],
    });
    expect(evaluateStepUp(base({ attendance: low(10, 5) }), rules, AS_OF).recommended).toBe(false);
    expect(evaluateStepUp(base({ attendance: [] }), rules, AS_OF).recommended).toBe(false);
  });

  it('cannot recommend without an assessment to cite', () => {
    const outcome = evaluateStepUp(
      base({ assessments: [], screens: [screen(AS_OF, P), screen(AS_OF, P)] }),
      rules,
      AS_OF,
    );
    expect(outcome).toMatchObject({
      recommended: false,
      criteria: ['positive-screens'],
      evidence: undefined,
    });
  });
});

describe('rule sets', () => {
  it('are versioned data chosen by the track level and population', () => {
    expect(rules.version).toBe('illustrative-progress@1');
    expect(progressRuleSetFor(LevelOfCare.IntensiveOutpatient, Population.Adolescent)?.cosignRequired).toBe(
      true,
    );
    expect(progressRuleSetFor(LevelOfCare.Outpatient, Population.Adult)).toBeUndefined();
  });
});
