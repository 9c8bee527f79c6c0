/** Screening instruments and their published score bands (ScreeningCompleted). */

export enum ScreeningInstrument {
  Phq9 = 'phq-9',
  Gad7 = 'gad-7',
  Audit = 'audit',
  Dast10 = 'dast-10',
  Cows = 'cows',
  CiwaAr = 'ciwa-ar',
}

/** The union of every instrument's band names; which ones apply depends on the instrument. */
export enum ScreeningBand {
  None = 'none',
  Minimal = 'minimal',
  Low = 'low',
  Mild = 'mild',
  Moderate = 'moderate',
  ModeratelySevere = 'moderately-severe',
  Substantial = 'substantial',
  Severe = 'severe',
  ZoneI = 'zone-i',
  ZoneII = 'zone-ii',
  ZoneIII = 'zone-iii',
  ZoneIV = 'zone-iv',
}

/** Flags that demand an urgent clinical response whatever the total score. */
export enum UrgentFlag {
  /** PHQ-9 item 9 (thoughts of self-harm) answered above 0. */
  SelfHarmRisk = 'self-harm-risk',
  /** A withdrawal scale (COWS, CIWA-Ar) in its severe band. */
  SevereWithdrawal = 'severe-withdrawal',
}

export interface InstrumentScale {
  readonly minScore: number;
  readonly maxScore: number;
  readonly bands: readonly ScreeningBand[];
}

/**
 * Score ranges and the band names each instrument may report. The band *thresholds* are versioned data owned by
 * intake (sources disagree, e.g. for CIWA-Ar); the contract only checks that a band belongs to the instrument.
 */
export const SCREENING_SCALES: Readonly<Record<ScreeningInstrument, InstrumentScale>> = {
  [ScreeningInstrument.Phq9]: {
    minScore: 0,
    maxScore: 27,
    bands: [
      ScreeningBand.Minimal,
      ScreeningBand.Mild,
      ScreeningBand.Moderate,
      ScreeningBand.ModeratelySevere,
      ScreeningBand.Severe,
    ],
  },
  [ScreeningInstrument.Gad7]: {
    minScore: 0,
    maxScore: 21,
    bands: [ScreeningBand.Minimal, ScreeningBand.Mild, ScreeningBand.Moderate, ScreeningBand.Severe],
  },
  [ScreeningInstrument.Audit]: {
    minScore: 0,
    maxScore: 40,
    bands: [ScreeningBand.ZoneI, ScreeningBand.ZoneII, ScreeningBand.ZoneIII, ScreeningBand.ZoneIV],
  },
  [ScreeningInstrument.Dast10]: {
    minScore: 0,
    maxScore: 10,
    bands: [
      ScreeningBand.None,
      ScreeningBand.Low,
      ScreeningBand.Moderate,
      ScreeningBand.Substantial,
      ScreeningBand.Severe,
    ],
  },
  [ScreeningInstrument.Cows]: {
    minScore: 0,
    maxScore: 48,
    bands: [
      ScreeningBand.None,
      ScreeningBand.Mild,
      ScreeningBand.Moderate,
      ScreeningBand.ModeratelySevere,
      ScreeningBand.Severe,
    ],
  },
  [ScreeningInstrument.CiwaAr]: {
    minScore: 0,
    maxScore: 67,
    bands: [ScreeningBand.Minimal, ScreeningBand.Mild, ScreeningBand.Moderate, ScreeningBand.Severe],
  },
};
