import {
  DrugScreenResult,
  ScreenInterpretation,
  ScreenResultReading,
  type SubstanceCode,
} from '@stepwise/contracts';
import { type ProgramPolicy } from './versioned-data';

/** What a screen counts as for the progress rules: a negative, a positive, or neither. */
export type ScreenEvidence = 'negative' | 'positive' | 'none';

/** A medication of the episode's list as the interpretation needs it. */
export interface MedicationFact {
  readonly medicationId: string;
  readonly medicationCode: string;
  readonly mat: boolean;
  readonly startsOn: string;
  /** Last day taken; null while it continues. */
  readonly stopsOn: string | null;
  readonly expectedSubstances: readonly SubstanceCode[];
}

/**
 * The part of the program policy (a versioned rule set, `illustrative-rules.ts` until a provider loads one) that
 * reads results neither negative nor positive. The illustrative policy: refused and adulterated specimens count
 * as positives for the progress rules (a client cannot avoid a step-up by refusing) but prove no use, so they do
 * not move the sobriety date; dilute and invalid ones count neither way and ask for a new specimen.
 */
export type ScreenPolicy = Pick<ProgramPolicy, 'refused' | 'adulterated' | 'dilute' | 'invalid'>;

export interface ScreenReading {
  readonly interpretation: ScreenInterpretation;
  readonly evidence: ScreenEvidence;
  /** Only use (a positive no medication explains) moves the sobriety date. */
  readonly resetsSobriety: boolean;
  /** Active MAT medications whose expected substances the screen did not detect (possible diversion). */
  readonly missing: readonly { readonly medication: MedicationFact; readonly substances: SubstanceCode[] }[];
}

/** MAT medications taken on `date` (from its first to its last day). */
export function activeMat(medications: readonly MedicationFact[], date: string): MedicationFact[] {
  return medications.filter((m) => m.mat && m.startsOn <= date && (m.stopsOn === null || date <= m.stopsOn));
}

/**
 * Reads a screen against the MAT medications active on its collection date:
 * - positive only for substances those medications are expected to show: expected medication, counted as a
 *   negative (a client on buprenorphine steps down as any other); any other substance: use (a relapse);
 * - a medication's expected substances all missing (from a negative or a positive): possible diversion — an
 *   alert, not a relapse; it counts neither way unless the screen also shows use;
 * - refused, adulterated, dilute, invalid: as the policy says.
 */
export function interpretScreen(
  result: DrugScreenResult,
  substances: readonly SubstanceCode[],
  collectedOn: string,
  medications: readonly MedicationFact[],
  policy: ScreenPolicy,
): ScreenReading {
  if (result !== DrugScreenResult.Positive && result !== DrugScreenResult.Negative) {
    return policy[result] === ScreenResultReading.TreatedAsPositive
      ? {
          interpretation: ScreenInterpretation.TreatedAsPositive,
          evidence: 'positive',
          resetsSobriety: false,
          missing: [],
        }
      : {
          interpretation: ScreenInterpretation.RetestRequested,
          evidence: 'none',
          resetsSobriety: false,
          missing: [],
        };
  }
  const active = activeMat(medications, collectedOn);
  const expected = new Set(active.flatMap((m) => m.expectedSubstances));
  const detected = new Set(substances);
  const missing = active
    .filter((m) => m.expectedSubstances.length > 0 && !m.expectedSubstances.some((s) => detected.has(s)))
    .map((medication) => ({ medication, substances: [...medication.expectedSubstances] }));
  // A positive naming no substance is explained by nothing: use.
  const unexplained = substances.length === 0 || substances.some((s) => !expected.has(s));
  if (result === DrugScreenResult.Positive && unexplained) {
    return { interpretation: ScreenInterpretation.Use, evidence: 'positive', resetsSobriety: true, missing };
  }
  if (missing.length > 0) {
    return {
      interpretation: ScreenInterpretation.PossibleDiversion,
      evidence: 'none',
      resetsSobriety: false,
      missing,
    };
  }
  return result === DrugScreenResult.Positive
    ? {
        interpretation: ScreenInterpretation.ExpectedMedication,
        evidence: 'negative',
        resetsSobriety: false,
        missing,
      }
    : { interpretation: ScreenInterpretation.Negative, evidence: 'negative', resetsSobriety: false, missing };
}
