import { LevelOfCare } from '@stepwise/contracts';

/** A dimension (1–6) rated at least `atLeast` (0–4). */
export interface AsamCondition {
  readonly dimension: number;
  readonly atLeast: number;
}

/** Recommends `level` when any of `any` holds (or `any` is empty) and all of `all` hold (or `all` is empty). */
export interface AsamRule {
  readonly level: LevelOfCare;
  readonly any?: readonly AsamCondition[];
  readonly all?: readonly AsamCondition[];
}

/** A rule set as stored (table `asam_rule_sets`): rules in order, the first match wins, else the fallback. */
export interface AsamRuleSet {
  readonly code: string;
  readonly version: number;
  readonly label: string;
  readonly illustrative: boolean;
  readonly rules: readonly AsamRule[];
  readonly fallbackLevel: LevelOfCare;
}

export const ruleSetVersionOf = (set: Pick<AsamRuleSet, 'code' | 'version'>): string =>
  `${set.code}@${set.version}`;

const holds = (ratings: readonly number[], condition: AsamCondition): boolean =>
  (ratings[condition.dimension - 1] ?? 0) >= condition.atLeast;

/** The level a rule set recommends for six dimension ratings (dimension 1 first). */
export function recommendLevel(set: AsamRuleSet, ratings: readonly number[]): LevelOfCare {
  const match = set.rules.find(
    (rule) =>
      (rule.any === undefined || rule.any.length === 0 || rule.any.some((c) => holds(ratings, c))) &&
      (rule.all === undefined || rule.all.every((c) => holds(ratings, c))),
  );
  return match?.level ?? set.fallbackLevel;
}

const at = (dimension: number, atLeast: number): AsamCondition => ({ dimension, atLeast });

/**
 * The illustrative default, seeded by migration. It is NOT ASAM's official decision rules (those are
 * licensed): it shows the shape of a rule set and gives sensible-looking placements for demos and tests.
 * Providers load their own (licensed or local) rule sets as new versioned data.
 */
export const ILLUSTRATIVE_RULE_SET: AsamRuleSet = {
  code: 'illustrative-asam',
  version: 1,
  label: "Illustrative example only - NOT ASAM's official decision rules",
  illustrative: true,
  rules: [
    { level: LevelOfCare.MedicallyManagedIntensiveInpatient, any: [at(1, 4), at(2, 4), at(3, 4)] },
    { level: LevelOfCare.MedicallyMonitoredIntensiveInpatient, any: [at(1, 3), at(2, 3)] },
    { level: LevelOfCare.ClinicallyManagedHighIntensityResidential, all: [at(3, 3), at(5, 3)] },
    { level: LevelOfCare.ClinicallyManagedLowIntensityResidential, all: [at(5, 3), at(6, 3)] },
    { level: LevelOfCare.PartialHospitalization, any: [at(3, 3), at(5, 3), at(6, 4)] },
    {
      level: LevelOfCare.IntensiveOutpatient,
      any: [at(1, 2), at(2, 2), at(3, 2), at(4, 3), at(5, 2), at(6, 2)],
    },
    { level: LevelOfCare.Outpatient, any: [1, 2, 3, 4, 5, 6].map((d) => at(d, 1)) },
  ],
  fallbackLevel: LevelOfCare.EarlyIntervention,
};

/** The documented example cases of the illustrative rule set (README and tests). */
export const ILLUSTRATIVE_EXAMPLES: readonly (readonly [readonly number[], LevelOfCare])[] = [
  [[0, 0, 0, 0, 0, 0], LevelOfCare.EarlyIntervention],
  [[0, 1, 1, 1, 1, 0], LevelOfCare.Outpatient],
  [[1, 0, 2, 1, 2, 1], LevelOfCare.IntensiveOutpatient],
  [[0, 0, 0, 3, 1, 1], LevelOfCare.IntensiveOutpatient],
  [[1, 1, 3, 2, 2, 2], LevelOfCare.PartialHospitalization],
  [[0, 0, 1, 2, 3, 3], LevelOfCare.ClinicallyManagedLowIntensityResidential],
  [[1, 1, 3, 2, 3, 2], LevelOfCare.ClinicallyManagedHighIntensityResidential],
  [[3, 1, 1, 1, 1, 1], LevelOfCare.MedicallyMonitoredIntensiveInpatient],
  [[4, 0, 0, 0, 0, 0], LevelOfCare.MedicallyManagedIntensiveInpatient],
];

/** Why a clinician placed the client elsewhere than the rules recommend (codes, never free text). */
export enum OverrideReason {
  ClinicalJudgement = 'clinical-judgement',
  ClientPreference = 'client-preference',
  CoOccurringNeeds = 'co-occurring-needs',
  LevelNotAvailable = 'level-not-available',
  PayerRequirement = 'payer-requirement',
  SafetyConcern = 'safety-concern',
  SupportSystem = 'support-system',
}
