import { LevelOfCare, Population } from '@stepwise/contracts';
import { type LocalDate, addDays, isoWeekStart, isoWeekday } from './local-calendar';

/** One rule: clients of `population` at `levelOfCare` need at least `minutes` planned per ISO week. */
export interface LevelMinimumRule {
  readonly levelOfCare: LevelOfCare;
  readonly population: Population;
  readonly minutes: number;
}

/** A versioned set of weekly minimums; the id is recorded wherever a decision used it. */
export interface LevelMinimumRuleSet {
  readonly id: string;
  readonly source: string;
  readonly rules: readonly LevelMinimumRule[];
}

/**
 * Weekly hour minimums of ASAM 3rd-edition levels (domain.md, "Level of care"): 2.1 adults 9 h, adolescents
 * 6 h; 2.5 20 h (both populations). Levels without a row (outpatient, residential) have no planned-hours
 * minimum here. A payer- or edition-specific set is a new entry with a new id, never an edit of this one.
 */
export const LEVEL_MINIMUMS_ASAM3_V1: LevelMinimumRuleSet = Object.freeze({
  id: 'asam3-weekly-minimums-v1',
  source: 'ASAM Criteria 3rd edition: 2.1 >= 9 h/week adults, >= 6 h/week adolescents; 2.5 >= 20 h/week',
  rules: Object.freeze([
    { levelOfCare: LevelOfCare.IntensiveOutpatient, population: Population.Adult, minutes: 540 },
    { levelOfCare: LevelOfCare.IntensiveOutpatient, population: Population.Adolescent, minutes: 360 },
    { levelOfCare: LevelOfCare.PartialHospitalization, population: Population.Adult, minutes: 1200 },
    { levelOfCare: LevelOfCare.PartialHospitalization, population: Population.Adolescent, minutes: 1200 },
  ]),
});

/** The rule set scheduling applies today. */
export const CURRENT_LEVEL_MINIMUMS = LEVEL_MINIMUMS_ASAM3_V1;

/** Required weekly minutes, or undefined when the level has no planned-hours minimum. */
export function requiredWeeklyMinutes(
  levelOfCare: LevelOfCare,
  population: Population,
  ruleSet: LevelMinimumRuleSet = CURRENT_LEVEL_MINIMUMS,
): number | undefined {
  return ruleSet.rules.find((r) => r.levelOfCare === levelOfCare && r.population === population)?.minutes;
}

/** A planned session of one client, dated in the site's time zone. */
export interface PlannedSession {
  readonly localDate: LocalDate;
  readonly minutes: number;
}

export interface WeekBelowMinimum {
  readonly weekStart: LocalDate;
  readonly plannedMinutes: number;
  readonly requiredMinutes: number;
}

/**
 * The ISO weeks whose planned minutes fall short of the level's minimum. Only weeks the client is enrolled
 * for in full are judged (from `enrolledFrom` to the end of the planned horizon): a client admitted on a
 * Thursday cannot be planned nine hours in the three days left of that week, and that is not a shortfall.
 */
export function weeksBelowMinimum(
  sessions: readonly PlannedSession[],
  window: { readonly enrolledFrom: LocalDate; readonly plannedUntil: LocalDate },
  requiredMinutes: number | undefined,
): WeekBelowMinimum[] {
  if (requiredMinutes === undefined) return [];
  const firstWeek =
    isoWeekday(window.enrolledFrom) === 1
      ? window.enrolledFrom
      : addDays(isoWeekStart(window.enrolledFrom), 7);
  const perWeek = new Map<LocalDate, number>();
  for (let week = firstWeek; addDays(week, 7) <= window.plannedUntil; week = addDays(week, 7)) {
    perWeek.set(week, 0);
  }
  for (const session of sessions) {
    const week = isoWeekStart(session.localDate);
    const planned = perWeek.get(week);
    if (planned !== undefined) perWeek.set(week, planned + session.minutes);
  }
  return [...perWeek.entries()]
    .filter(([, planned]) => planned < requiredMinutes)
    .map(([weekStart, plannedMinutes]) => ({ weekStart, plannedMinutes, requiredMinutes }));
}
