import {
  type CareRuleSetKind,
  type LevelOfCare,
  type MedicationCode,
  type Population,
  type ScreenResultReading,
  type SubstanceCode,
} from '@stepwise/contracts';

/**
 * Domain numbers that payers and sources may change, as versioned data: a change is a new version with a new
 * id (kept next to the old one so past decisions stay explainable), never an edit of a number in place. A
 * network administrator loads them through the scheduling service (which owns them and publishes them on the
 * reference topic); until one is loaded, the illustrative defaults of `illustrative-rules.ts` are in force.
 */

/**
 * The shape of a program at one level for one population (domain.md, "Level of care", "What an IOP is"): the
 * weekly minimum (sessions judge attended weeks and scheduling planned weeks against it), the bound the level's
 * week must stay under, days per week and the expected length of stay. Field for field the contract's
 * ProgramShapeRule, so a loaded rule set is used as it arrives.
 */
export interface ProgramShape {
  readonly level: LevelOfCare;
  readonly population: Population;
  readonly minWeeklyMinutes: number;
  /** Weekly minutes strictly below which the level's week must stay; undefined: no upper bound. */
  readonly belowWeeklyMinutes?: number | undefined;
  readonly minDaysPerWeek: number;
  readonly maxDaysPerWeek: number;
  /** Weeks after admission when a review is due, unless the track sets its own; undefined: none. */
  readonly expectedStayWeeks?: number | undefined;
}

/** A versioned program-shape rule set: `id` (`code@version`) is what every decision made under it records. */
export interface ProgramShapeRules {
  readonly id: string;
  readonly illustrative: boolean;
  readonly programShape: readonly ProgramShape[];
}

/** The shape of a level for a population, or undefined when the rule set has none (e.g. level 1). */
export function programShapeFor(
  rules: ProgramShapeRules,
  level: LevelOfCare,
  population: Population,
): ProgramShape | undefined {
  return rules.programShape.find((row) => row.level === level && row.population === population);
}

/** The weekly minimum of a level for a population, or undefined when the level sets none (e.g. level 1). */
export function weeklyMinimum(
  rules: ProgramShapeRules,
  level: LevelOfCare,
  population: Population,
): number | undefined {
  return programShapeFor(rules, level, population)?.minWeeklyMinutes;
}

/**
 * How one level is billed to a payer: field for field the contract's BillingCodeRule (H0015: at least 180
 * minutes a day, and at least 3 such days in the ISO week).
 */
export interface BillingCodeRule {
  readonly level: LevelOfCare;
  readonly code: string;
  readonly minMinutesPerDay: number;
  readonly minDaysPerWeek: number;
  /** Minutes the week's attendance must reach besides; undefined: no weekly minimum. */
  readonly minWeeklyMinutes?: number | undefined;
  readonly unitsPerDay: number;
}

/**
 * One payer's versioned billing rules; `payerCode` null: the rules for a payer without its own (the
 * illustrative default). `id` (`code@version`) is what every billed day records.
 */
export interface BillingRules {
  readonly id: string;
  readonly illustrative: boolean;
  readonly payerCode: string | null;
  readonly codes: readonly BillingCodeRule[];
  readonly warnUnitsRemaining: number;
  readonly warnDaysBeforeExpiry: number;
}

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

/** The progress rules of a kind of track (level and population), as a rule set holds them. */
export interface ProgressRule {
  readonly level: LevelOfCare;
  readonly population: Population;
  readonly stepDown: StepDownRule;
  readonly stepUp: StepUpRule;
  /** Whether notes of this track need a clinical supervisor's co-signature before they count as signed. */
  readonly cosignRequired: boolean;
}

/** A versioned progress rule set: `id` (`code@version`) is what every recommendation made under it records. */
export interface ProgressRules {
  readonly id: string;
  readonly illustrative: boolean;
  readonly progress: readonly ProgressRule[];
}

/** The progress rule of one kind of track, with the version (the rule set's id) a decision records. */
export interface ProgressRuleSet extends ProgressRule {
  readonly version: string;
}

/**
 * The program's policy, field for field the contract's ProgramPolicyRule: how a screen result that is neither
 * negative nor positive counts, which substances each MAT medication is expected to show, and how long
 * documentation may lag behind a week before it closes.
 */
export interface ProgramPolicy {
  readonly refused: ScreenResultReading;
  readonly adulterated: ScreenResultReading;
  readonly dilute: ScreenResultReading;
  readonly invalid: ScreenResultReading;
  readonly matExpectedSubstances: readonly {
    readonly medicationCode: MedicationCode;
    readonly substances: readonly SubstanceCode[];
  }[];
  /** For tracks that set no grace of their own. */
  readonly documentationGraceHours: number;
}

/** A versioned program policy: `id` (`code@version`) is what each screen read and week closed under it records. */
export interface ProgramPolicyRules {
  readonly id: string;
  readonly illustrative: boolean;
  readonly programPolicy: ProgramPolicy;
}

/** The substances the policy expects a screen to show for a MAT medication (none known: empty). */
export function expectedSubstancesOf(policy: ProgramPolicy, medicationCode: MedicationCode): SubstanceCode[] {
  const row = policy.matExpectedSubstances.find((r) => r.medicationCode === medicationCode);
  return row === undefined ? [] : [...row.substances];
}

/** The rule sets of each kind in force: what every service applies, and names on what it decides. */
export interface RulesInForce {
  readonly programShape: ProgramShapeRules;
  readonly progress: ProgressRules;
  readonly programPolicy: ProgramPolicyRules;
  /** Per payer, the billing rules loaded last; the default (payerCode null) for any payer without its own. */
  readonly billing: readonly BillingRules[];
}

/** A loaded rule set as stored and published (the contract's CareRuleSetLoaded). */
export interface LoadedRuleSet {
  readonly ruleSetId: string;
  readonly kind: CareRuleSetKind;
  readonly illustrative: boolean;
  readonly programShape?: readonly ProgramShape[] | undefined;
  readonly progress?: readonly ProgressRule[] | undefined;
  readonly programPolicy?: ProgramPolicy | undefined;
  readonly billing?: Omit<BillingRules, 'id' | 'illustrative'> | undefined;
}
