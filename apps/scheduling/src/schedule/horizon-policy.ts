/**
 * How far ahead appointments exist: four weeks, extended daily (issue 8). Versioned like the other domain
 * numbers, so a change of policy is a new entry rather than an edit.
 */
export interface HorizonPolicy {
  readonly id: string;
  readonly days: number;
}

export const ROLLING_FOUR_WEEKS_V1: HorizonPolicy = Object.freeze({ id: 'rolling-4-weeks-v1', days: 28 });

export const CURRENT_HORIZON = ROLLING_FOUR_WEEKS_V1;
