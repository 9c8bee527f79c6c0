import { type LevelOfCare } from '@stepwise/contracts';
import { addDays, daysBetween } from './calendar';
import { trailingAbsences } from './engagement';
import { type AttendanceFact, type EpisodeFacts, byTime, isAttended } from './facts';
import { type BasisPoints, type ProgressRuleSet } from './versioned-data';

/** The facts a recommendation rests on (the contract's LevelOfCareEvidence). */
export interface Evidence {
  readonly weeksInProgram: number;
  readonly attendanceRate: number;
  readonly consecutiveNegativeScreens: number;
  readonly recentPositiveScreens: number;
  readonly consecutiveAbsences: number;
  readonly goalsMet: number;
  readonly goalsTotal: number;
  readonly latestAssessmentId: string;
  readonly dimensionRatings: readonly number[];
}

export type Direction = 'step-down' | 'step-up';

export interface RuleOutcome {
  readonly direction: Direction;
  readonly toLevel: LevelOfCare;
  /** Every criterion met (step-down), or any trigger fired (step-up). */
  readonly recommended: boolean;
  /** Names of the criteria that failed (step-down) or fired (step-up), for explanations and tests. */
  readonly criteria: readonly string[];
  /** Undefined when there is no assessment yet: a recommendation must cite one. */
  readonly evidence: Evidence | undefined;
}

interface Share {
  readonly attended: number;
  readonly counted: number;
}

/**
 * Attended share of the sessions dated in (asOf − days, asOf]: attended over attended plus unexcused absences
 * (an excused absence is not held against the client).
 */
export function attendanceShare(attendance: readonly AttendanceFact[], asOf: string, days: number): Share {
  const from = addDays(asOf, -days);
  let attended = 0;
  let counted = 0;
  for (const fact of attendance) {
    if (fact.sessionDate <= from || fact.sessionDate > asOf || fact.outcome === 'excused') continue;
    counted += 1;
    if (isAttended(fact.outcome)) attended += 1;
  }
  return { attended, counted };
}

/** share ≥ threshold, in integers (84.9 % is 8490 basis points), so no rounding decides a clinical rule. */
export function atLeast(part: number, whole: number, threshold: BasisPoints): boolean {
  return whole > 0 && part * 10_000 >= threshold * whole;
}

const rate = (share: Share): number =>
  share.counted === 0 ? 0 : Math.round((share.attended / share.counted) * 10_000) / 10_000;

/** Screens counting as negative in a row, newest first, up to `asOf`; any other ends the run. */
export function consecutiveNegatives(facts: EpisodeFacts, asOf: string): number {
  const screens = facts.screens.filter((s) => s.collectedOn <= asOf).sort(byTime((s) => s.collectedAt));
  let count = 0;
  for (let i = screens.length - 1; i >= 0 && screens[i]?.evidence === 'negative'; i -= 1) {
    count += 1;
  }
  return count;
}

function positivesWithin(facts: EpisodeFacts, asOf: string, days: number): number {
  const from = addDays(asOf, -days);
  return facts.screens.filter(
    (s) => s.evidence === 'positive' && s.collectedOn > from && s.collectedOn <= asOf,
  ).length;
}

function latest<T>(items: readonly T[], on: (item: T) => string, at: (item: T) => string, asOf: string) {
  return [...items]
    .filter((item) => on(item) <= asOf)
    .sort(byTime(at))
    .at(-1);
}

function evidenceAt(facts: EpisodeFacts, asOf: string, share: Share, positiveDays: number) {
  const assessment = latest(
    facts.assessments,
    (a) => a.assessedOn,
    (a) => a.assessedAt,
    asOf,
  );
  const review = latest(
    facts.reviews,
    (r) => r.reviewedOn,
    (r) => r.reviewedAt,
    asOf,
  );
  if (assessment === undefined) return { assessment, review, evidence: undefined };
  const evidence: Evidence = {
    weeksInProgram: Math.max(0, Math.floor(daysBetween(facts.admittedOn, asOf) / 7)),
    attendanceRate: rate(share),
    consecutiveNegativeScreens: consecutiveNegatives(facts, asOf),
    recentPositiveScreens: positivesWithin(facts, asOf, positiveDays),
    consecutiveAbsences: trailingAbsences(facts.attendance, asOf),
    goalsMet: review?.goalsMet ?? 0,
    goalsTotal: review?.goalsTotal ?? 0,
    latestAssessmentId: assessment.assessmentId,
    dimensionRatings: [...assessment.dimensionRatings],
  };
  return { assessment, review, evidence };
}

/** Whole weeks at the current level on `asOf`: from the level change, or from admission if none followed it. */
export function weeksAtLevel(facts: EpisodeFacts, asOf: string): number {
  const since =
    facts.levelSinceOn != null && facts.levelSinceOn > facts.admittedOn
      ? facts.levelSinceOn
      : facts.admittedOn;
  return Math.floor(daysBetween(since, asOf) / 7);
}

/**
 * Step-down: every criterion of the rule set holds on the facts dated up to `asOf` — weeks at the current level
 * (the rule's `minWeeksInProgram`: time in this level's program, so PHP's three weeks restart at the step-up),
 * attendance over the window, negative screens in a row, plan goals met at the latest review, and each
 * dimension of the latest assessment at or under its threshold.
 */
export function evaluateStepDown(facts: EpisodeFacts, rules: ProgressRuleSet, asOf: string): RuleOutcome {
  const rule = rules.stepDown;
  const share = attendanceShare(facts.attendance, asOf, rule.attendanceWindowDays);
  const { evidence } = evidenceAt(facts, asOf, share, rules.stepUp.positiveScreensWindowDays);
  const failed: string[] = [];
  if (weeksAtLevel(facts, asOf) < rule.minWeeksInProgram) failed.push('weeks-in-program');
  if (!atLeast(share.attended, share.counted, rule.minAttendance)) failed.push('attendance');
  if (consecutiveNegatives(facts, asOf) < rule.minConsecutiveNegativeScreens) failed.push('negative-screens');
  if (evidence === undefined) failed.push('assessment');
  if (evidence !== undefined && !atLeast(evidence.goalsMet, evidence.goalsTotal, rule.minGoalsMet)) {
    failed.push('goals-met');
  }
  if (
    evidence !== undefined &&
    evidence.dimensionRatings.some((rating, i) => rating > (rule.maxDimensionRatings[i] ?? -1))
  ) {
    failed.push('dimension-ratings');
  }
  return {
    direction: 'step-down',
    toLevel: rule.toLevel,
    recommended: failed.length === 0,
    criteria: failed,
    evidence,
  };
}

/**
 * Step-up: any trigger fires on the facts dated up to `asOf` — enough positive screens within the window, or
 * attendance below the threshold over its window (only when some session in the window counted).
 */
export function evaluateStepUp(facts: EpisodeFacts, rules: ProgressRuleSet, asOf: string): RuleOutcome {
  const rule = rules.stepUp;
  const share = attendanceShare(facts.attendance, asOf, rule.attendanceWindowDays);
  const { evidence } = evidenceAt(facts, asOf, share, rule.positiveScreensWindowDays);
  const fired: string[] = [];
  if (positivesWithin(facts, asOf, rule.positiveScreensWindowDays) >= rule.minPositiveScreens) {
    fired.push('positive-screens');
  }
  if (share.counted > 0 && !atLeast(share.attended, share.counted, rule.attendanceBelow)) {
    fired.push('attendance');
  }
  return {
    direction: 'step-up',
    toLevel: rule.toLevel,
    recommended: fired.length > 0 && evidence !== undefined,
    criteria: fired,
    evidence,
  };
}

/** The newest fact a recommendation rests on: its identity, so the same evidence never recommends twice. */
export interface KeyFact {
  readonly id: string;
  /** When the fact happened (an instant), to compare with the level's start and with declined recommendations. */
  readonly at: string;
}

/**
 * The newest fact behind an outcome. Step-up: the newest fact counted by a trigger that fired (a positive
 * screen in its window, an unexcused absence in its window). Step-down: the newest assessment or plan review
 * — the clinicians' own judgement of the episode; a day's attendance alone is not new grounds to propose
 * again a step-down a clinician declined.
 */
export function keyFactOf(
  facts: EpisodeFacts,
  rules: ProgressRuleSet,
  outcome: RuleOutcome,
  asOf: string,
): KeyFact | undefined {
  const candidates: KeyFact[] = [];
  if (outcome.direction === 'step-up') {
    const rule = rules.stepUp;
    if (outcome.criteria.includes('positive-screens')) {
      const from = addDays(asOf, -rule.positiveScreensWindowDays);
      for (const s of facts.screens) {
        if (s.evidence !== 'positive' || s.collectedOn <= from || s.collectedOn > asOf) continue;
        candidates.push({ id: `screen:${s.screenId}`, at: s.collectedAt });
      }
    }
    if (outcome.criteria.includes('attendance')) {
      const from = addDays(asOf, -rule.attendanceWindowDays);
      for (const a of facts.attendance) {
        if (a.outcome !== 'absent' || a.sessionDate <= from || a.sessionDate > asOf) continue;
        candidates.push({ id: `absence:${a.appointmentId}`, at: a.startsAt });
      }
    }
  } else {
    for (const a of facts.assessments) {
      if (a.assessedOn <= asOf) candidates.push({ id: `assessment:${a.assessmentId}`, at: a.assessedAt });
    }
    for (const r of facts.reviews) {
      if (r.reviewedOn <= asOf) candidates.push({ id: `review:${r.reviewedAt}`, at: r.reviewedAt });
    }
  }
  return candidates.sort(byTime((c) => c.at)).at(-1);
}

/** A recommendation already made for the episode, as far as the next decision needs it. */
export interface PriorRecommendation {
  readonly direction: Direction;
  /** The episode's level epoch when it was made (the epoch advances with every clinical level change). */
  readonly levelEpoch: number;
  readonly keyFactAt: string;
  readonly declined: boolean;
}

/** Where the episode stands: which level epoch, since when (null: since admission), what was recommended. */
export interface DecisionState {
  readonly levelEpoch: number;
  readonly levelSince: string | null;
  readonly prior: readonly PriorRecommendation[];
}

/**
 * "Never twice for the same evidence": a rule outcome becomes a recommendation only when
 * - none of this direction is still waiting for a clinician at the current level (one open question at a time);
 * - its key fact is newer than the current level's start — the evidence before a level change was already
 *   acted on (a step-up to PHP does not at once recommend residential on the positives that caused it);
 * - and newer than the key fact of every recommendation of this direction a clinician declined at this level.
 * A recommendation approved or declined at an earlier level does not block one at the level the client is at
 * again (IOP → PHP → IOP).
 */
export function mayRecommend(outcome: RuleOutcome, key: KeyFact | undefined, state: DecisionState): boolean {
  if (!outcome.recommended || outcome.evidence === undefined || key === undefined) return false;
  const current = state.prior.filter(
    (p) => p.direction === outcome.direction && p.levelEpoch === state.levelEpoch,
  );
  if (current.some((p) => !p.declined)) return false;
  const after = [
    ...current.map((p) => p.keyFactAt),
    ...(state.levelSince === null ? [] : [state.levelSince]),
  ];
  return after.every((at) => Date.parse(key.at) > Date.parse(at));
}
