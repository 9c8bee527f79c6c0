import { DrugScreenResult, LevelOfCare, Population } from '@stepwise/contracts';
import { type EpisodeFacts } from './facts';
import {
  type DecisionState,
  evaluateStepDown,
  evaluateStepUp,
  keyFactOf,
  mayRecommend,
  type PriorRecommendation,
} from './progress-rules';
import { assessment, attended, episode, review, screen } from './rule-fixtures';
import { progressRuleSetFor } from './rules-in-force';
import { type ProgressRuleSet } from './versioned-data';

const iop = progressRuleSetFor(LevelOfCare.IntensiveOutpatient, Population.Adult) as ProgressRuleSet;
const php = progressRuleSetFor(LevelOfCare.PartialHospitalization, Population.Adult) as ProgressRuleSet;
const AT_ADMISSION: DecisionState = { levelEpoch: 0, levelSince: null, prior: [] };

/** A relapse: two positive screens within the step-up window (one week apart), assessed at admission. */
const relapse = (...extra: EpisodeFacts['screens']): EpisodeFacts =>
  episode({
    assessments: [assessment('2025-01-06', [2, 1, 2, 2, 3, 2])],
    attendance: [attended('2025-02-03'), attended('2025-02-10')],
    screens: [
      screen('2025-02-03', DrugScreenResult.Positive),
      screen('2025-02-10', DrugScreenResult.Positive),
      ...extra,
    ],
  });

/** What the service does for one as-of date: evaluate, find the key fact, decide. */
function decide(facts: EpisodeFacts, rules: ProgressRuleSet, asOf: string, state: DecisionState) {
  const outcome = evaluateStepUp(facts, rules, asOf);
  const key = keyFactOf(facts, rules, outcome, asOf);
  return { key, made: mayRecommend(outcome, key, state) };
}

const declined = (keyFactAt: string, levelEpoch = 0): PriorRecommendation => ({
  direction: 'step-up',
  levelEpoch,
  keyFactAt,
  declined: true,
});

describe('recommendations: never twice for the same evidence, again on new evidence', () => {
  it('names the newest triggering fact, the same one however often the same facts are evaluated', () => {
    const facts = relapse();
    const first = decide(facts, iop, '2025-02-12', AT_ADMISSION);
    expect(first.made).toBe(true);
    expect(first.key).toEqual({ id: `screen:${facts.screens[1]?.screenId}`, at: '2025-02-10T16:00:00Z' });
    expect(decide(facts, iop, '2025-02-14', AT_ADMISSION).key).toEqual(first.key);
  });

  it('makes none while one of the same direction waits for a clinician', () => {
    const pending: PriorRecommendation = { ...declined('2025-02-10T16:00:00Z'), declined: false };
    const facts = relapse(screen('2025-02-13', DrugScreenResult.Positive));
    expect(decide(facts, iop, '2025-02-13', { ...AT_ADMISSION, prior: [pending] }).made).toBe(false);
  });

  it('after a decline: none on the same evidence, one on a later relapse', () => {
    const state = { ...AT_ADMISSION, prior: [declined('2025-02-10T16:00:00Z')] };
    expect(decide(relapse(), iop, '2025-02-14', state).made).toBe(false);
    // A negative screen is new, but not evidence for a step-up.
    expect(decide(relapse(screen('2025-02-13')), iop, '2025-02-14', state).made).toBe(false);
    const relapsed = decide(
      relapse(screen('2025-02-17', DrugScreenResult.Positive)),
      iop,
      '2025-02-17',
      state,
    );
    expect(relapsed.made).toBe(true);
    expect(relapsed.key?.at).toBe('2025-02-17T16:00:00Z');
  });

  it('after a step-up to PHP: the positives that caused it do not recommend residential; a new one does', () => {
    const atPhp: DecisionState = {
      levelEpoch: 1,
      levelSince: '2025-02-12T15:00:00Z',
      prior: [{ ...declined('2025-02-10T16:00:00Z'), declined: false }],
    };
    expect(evaluateStepUp(relapse(), php, '2025-02-13').recommended).toBe(true);
    expect(decide(relapse(), php, '2025-02-13', atPhp).made).toBe(false);
    const again = relapse(screen('2025-02-14', DrugScreenResult.Positive));
    expect(decide(again, php, '2025-02-14', atPhp).made).toBe(true);
  });

  it('IOP → PHP → IOP: the move recommended (and approved) at the first IOP period is recommended again', () => {
    const backAtIop: DecisionState = {
      levelEpoch: 2,
      levelSince: '2025-03-10T15:00:00Z',
      prior: [
        { direction: 'step-up', levelEpoch: 0, keyFactAt: '2025-02-10T16:00:00Z', declined: false },
        { direction: 'step-down', levelEpoch: 1, keyFactAt: '2025-03-05T18:00:00Z', declined: false },
      ],
    };
    const facts = relapse(
      screen('2025-03-12', DrugScreenResult.Positive),
      screen('2025-03-17', DrugScreenResult.Positive),
    );
    expect(decide(facts, iop, '2025-03-11', backAtIop).made).toBe(false);
    expect(decide(facts, iop, '2025-03-17', backAtIop).made).toBe(true);
  });

  it('a declined step-down is proposed again only after a newer assessment or plan review', () => {
    const facts = episode({
      admittedOn: '2025-01-06',
      attendance: Array.from({ length: 12 }, (_, i) => attended(`2025-02-${String(3 + i).padStart(2, '0')}`)),
      screens: [screen('2025-02-03'), screen('2025-02-07'), screen('2025-02-12')],
      reviews: [review('2025-02-10', 5, 5)],
      assessments: [assessment('2025-02-11', [1, 1, 1, 1, 1, 1])],
    });
    const outcome = evaluateStepDown(facts, iop, '2025-02-17');
    expect(outcome.recommended).toBe(true);
    const key = keyFactOf(facts, iop, outcome, '2025-02-17');
    expect(key?.id).toBe(`assessment:${facts.assessments[0]?.assessmentId}`);
    const state: DecisionState = {
      ...AT_ADMISSION,
      prior: [{ direction: 'step-down', levelEpoch: 0, keyFactAt: key?.at ?? '', declined: true }],
    };
    expect(mayRecommend(outcome, key, state)).toBe(false);
    const reviewed = { ...facts, reviews: [...facts.reviews, review('2025-02-24', 5, 5)] };
    const later = evaluateStepDown(reviewed, iop, '2025-02-24');
    expect(mayRecommend(later, keyFactOf(reviewed, iop, later, '2025-02-24'), state)).toBe(true);
  });
});
