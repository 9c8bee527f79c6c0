import { LevelOfCare, Population } from '@stepwise/contracts';

/**
 * Domain numbers that payers and sources may change, as versioned data: a change is a new version with a new
 * id (kept next to the old one so past decisions stay explainable), never an edit of a number in place.
 */

/**
 * Weekly minutes a level of care requires (domain.md, "Level of care"): sessions judge attended weeks and
 * scheduling planned weeks against the same table. (Scheduling recorded this very table as
 * `asam3-weekly-minimums-v1` on level-minimum flags written before the two shared it.)
 */
export interface LevelMinimums {
  readonly version: string;
  readonly minutes: readonly {
    readonly level: LevelOfCare;
    readonly population: Population;
    readonly weeklyMinutes: number;
  }[];
}

export const LEVEL_MINIMUMS_V1: LevelMinimums = {
  version: 'asam-weekly-minimums-v1',
  minutes: [
    { level: LevelOfCare.IntensiveOutpatient, population: Population.Adult, weeklyMinutes: 9 * 60 },
    { level: LevelOfCare.IntensiveOutpatient, population: Population.Adolescent, weeklyMinutes: 6 * 60 },
    { level: LevelOfCare.PartialHospitalization, population: Population.Adult, weeklyMinutes: 20 * 60 },
    { level: LevelOfCare.PartialHospitalization, population: Population.Adolescent, weeklyMinutes: 20 * 60 },
  ],
};

/** The weekly minimum of a level for a population, or undefined when the level sets none (e.g. level 1). */
export function weeklyMinimum(
  table: LevelMinimums,
  level: LevelOfCare,
  population: Population,
): number | undefined {
  return table.minutes.find((row) => row.level === level && row.population === population)?.weeklyMinutes;
}

/** When an attended day counts as a billable IOP day (H0015: at least 3 hours of program that day). */
export interface BillingRule {
  readonly version: string;
  readonly minMinutesPerDay: number;
}

export const IOP_BILLING_RULE_V1: BillingRule = { version: 'h0015-day-v1', minMinutesPerDay: 180 };

/** Shares are in basis points (1/100 of a percent) so thresholds like 84.9 % compare exactly, in integers. */
export type BasisPoints = number;

export interface StepDownRule {
  readonly toLevel: LevelOfCare;
  readonly minWeeksInProgram: number;
  readonly attendanceWindowDays: number;
  readonly minAttendance: BasisPoints;
  readonly minConsecutiveNegativeScreens: number;
  readonly minGoalsMet: BasisPoints;
  /** The highest acceptable rating of each ASAM dimension (1 to 6, in order) in the latest assessment. */
  readonly maxDimensionRatings: readonly number[];
}

export interface StepUpRule {
  readonly toLevel: LevelOfCare;
  readonly positiveScreensWindowDays: number;
  readonly minPositiveScreens: number;
  readonly attendanceWindowDays: number;
  /** Attendance strictly below this share over the window triggers a step-up. */
  readonly attendanceBelow: BasisPoints;
}

/**
 * The progress rules of a kind of track (level and population). An illustrative, clearly labelled rule set:
 * ASAM's own decision rules are licensed; a provider replaces these with its own as a new version.
 */
export interface ProgressRuleSet {
  readonly version: string;
  readonly level: LevelOfCare;
  readonly population: Population;
  readonly stepDown: StepDownRule;
  readonly stepUp: StepUpRule;
  /** Whether notes of this track need a clinical supervisor's co-signature before they count as signed. */
  readonly noteCosignRequired: boolean;
}

const STEP_UP_FROM_IOP: StepUpRule = {
  toLevel: LevelOfCare.PartialHospitalization,
  positiveScreensWindowDays: 14,
  minPositiveScreens: 2,
  attendanceWindowDays: 14,
  attendanceBelow: 5000,
};

const STEP_DOWN_FROM_IOP: StepDownRule = {
  toLevel: LevelOfCare.Outpatient,
  minWeeksInProgram: 6,
  attendanceWindowDays: 28,
  minAttendance: 8500,
  minConsecutiveNegativeScreens: 3,
  minGoalsMet: 8000,
  maxDimensionRatings: [1, 1, 2, 2, 2, 2],
};

export const PROGRESS_RULE_SETS: readonly ProgressRuleSet[] = [
  {
    version: 'illustrative-iop-adult-v1',
    level: LevelOfCare.IntensiveOutpatient,
    population: Population.Adult,
    stepDown: STEP_DOWN_FROM_IOP,
    stepUp: STEP_UP_FROM_IOP,
    noteCosignRequired: false,
  },
  {
    version: 'illustrative-iop-adolescent-v1',
    level: LevelOfCare.IntensiveOutpatient,
    population: Population.Adolescent,
    stepDown: STEP_DOWN_FROM_IOP,
    stepUp: STEP_UP_FROM_IOP,
    noteCosignRequired: true,
  },
  {
    version: 'illustrative-php-adult-v1',
    level: LevelOfCare.PartialHospitalization,
    population: Population.Adult,
    stepDown: { ...STEP_DOWN_FROM_IOP, toLevel: LevelOfCare.IntensiveOutpatient, minWeeksInProgram: 3 },
    stepUp: { ...STEP_UP_FROM_IOP, toLevel: LevelOfCare.ClinicallyManagedHighIntensityResidential },
    noteCosignRequired: true,
  },
];

/** The rule set for a track's level and population; undefined where no rule set applies (no recommendations). */
export function progressRuleSetFor(
  level: LevelOfCare,
  population: Population,
  ruleSets: readonly ProgressRuleSet[] = PROGRESS_RULE_SETS,
): ProgressRuleSet | undefined {
  return ruleSets.find((set) => set.level === level && set.population === population);
}
