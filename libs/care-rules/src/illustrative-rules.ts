import {
  LevelOfCare,
  MedicationCode,
  Population,
  ScreenResultReading,
  SubstanceCode,
} from '@stepwise/contracts';
import type {
  BillingRules,
  ProgramPolicyRules,
  ProgramShapeRules,
  ProgressRules,
  RulesInForce,
  StepDownRule,
  StepUpRule,
} from './versioned-data';

/*
 * The seeded defaults: the one place in the tree where clinical rule values are written down (a test keeps it
 * so). ILLUSTRATIVE, and labelled so on every decision they make (`illustrative-…` ids): ASAM's own decision
 * rules are licensed material, so the software ships documented example numbers (domain.md) and a network
 * administrator loads the provider's own as new versions (`POST /v1/care-rule-sets` of the scheduling service).
 */

const HOUR = 60;

/** Program shape by level and population: 2.1 adults 9 to under 20 hours, adolescents 6; 2.5 at least 20. */
export const ILLUSTRATIVE_PROGRAM_SHAPE: ProgramShapeRules = {
  id: 'illustrative-program-shape@1',
  illustrative: true,
  programShape: [
    {
      level: LevelOfCare.IntensiveOutpatient,
      population: Population.Adult,
      minWeeklyMinutes: 9 * HOUR,
      belowWeeklyMinutes: 20 * HOUR,
      minDaysPerWeek: 3,
      maxDaysPerWeek: 5,
      expectedStayWeeks: 12,
    },
    {
      level: LevelOfCare.IntensiveOutpatient,
      population: Population.Adolescent,
      minWeeklyMinutes: 6 * HOUR,
      belowWeeklyMinutes: 20 * HOUR,
      minDaysPerWeek: 3,
      maxDaysPerWeek: 5,
      expectedStayWeeks: 12,
    },
    {
      level: LevelOfCare.PartialHospitalization,
      population: Population.Adult,
      minWeeklyMinutes: 20 * HOUR,
      minDaysPerWeek: 3,
      maxDaysPerWeek: 7,
    },
    {
      level: LevelOfCare.PartialHospitalization,
      population: Population.Adolescent,
      minWeeklyMinutes: 20 * HOUR,
      minDaysPerWeek: 3,
      maxDaysPerWeek: 7,
    },
  ],
};

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

/** Step-down when every criterion holds, step-up when any trigger fires (see progress-rules.ts). */
export const ILLUSTRATIVE_PROGRESS: ProgressRules = {
  id: 'illustrative-progress@1',
  illustrative: true,
  progress: [
    {
      level: LevelOfCare.IntensiveOutpatient,
      population: Population.Adult,
      stepDown: STEP_DOWN_FROM_IOP,
      stepUp: STEP_UP_FROM_IOP,
      cosignRequired: false,
    },
    {
      level: LevelOfCare.IntensiveOutpatient,
      population: Population.Adolescent,
      stepDown: STEP_DOWN_FROM_IOP,
      stepUp: STEP_UP_FROM_IOP,
      cosignRequired: true,
    },
    {
      level: LevelOfCare.PartialHospitalization,
      population: Population.Adult,
      stepDown: { ...STEP_DOWN_FROM_IOP, toLevel: LevelOfCare.IntensiveOutpatient, minWeeksInProgram: 3 },
      stepUp: { ...STEP_UP_FROM_IOP, toLevel: LevelOfCare.ClinicallyManagedHighIntensityResidential },
      cosignRequired: true,
    },
  ],
};

const BUPRENORPHINE = [SubstanceCode.Buprenorphine];

/**
 * Screens and documentation: refused and adulterated specimens count as positives (without moving the sobriety
 * date), dilute and invalid ones ask for a retest; buprenorphine products are expected to show buprenorphine and
 * methadone methadone (naltrexone, acamprosate and the others are not screened for); a week closes 48 hours
 * after its local end.
 */
export const ILLUSTRATIVE_PROGRAM_POLICY: ProgramPolicyRules = {
  id: 'illustrative-program-policy@1',
  illustrative: true,
  programPolicy: {
    refused: ScreenResultReading.TreatedAsPositive,
    adulterated: ScreenResultReading.TreatedAsPositive,
    dilute: ScreenResultReading.RetestRequested,
    invalid: ScreenResultReading.RetestRequested,
    matExpectedSubstances: [
      { medicationCode: MedicationCode.Buprenorphine, substances: BUPRENORPHINE },
      { medicationCode: MedicationCode.BuprenorphineNaloxone, substances: BUPRENORPHINE },
      { medicationCode: MedicationCode.BuprenorphineExtendedRelease, substances: BUPRENORPHINE },
      { medicationCode: MedicationCode.Methadone, substances: [SubstanceCode.Methadone] },
    ],
    documentationGraceHours: 48,
  },
};

/**
 * Billing for a payer without rule set of its own (domain.md, "Attendance"): IOP (2.1) as H0015, a day of at
 * least 3 hours attended in a week of at least 3 such days; partial hospitalization (2.5) as H0035 per diem,
 * 4 hours a day, 3 days and 20 hours a week. Warn at 3 units left and a week before an authorization ends.
 */
export const ILLUSTRATIVE_BILLING: BillingRules = {
  id: 'illustrative-billing@1',
  illustrative: true,
  payerCode: null,
  codes: [
    {
      level: LevelOfCare.IntensiveOutpatient,
      code: 'H0015',
      minMinutesPerDay: 3 * HOUR,
      minDaysPerWeek: 3,
      unitsPerDay: 1,
    },
    {
      level: LevelOfCare.PartialHospitalization,
      code: 'H0035',
      minMinutesPerDay: 4 * HOUR,
      minDaysPerWeek: 3,
      minWeeklyMinutes: 20 * HOUR,
      unitsPerDay: 1,
    },
  ],
  warnUnitsRemaining: 3,
  warnDaysBeforeExpiry: 7,
};

/**
 * An example of a payer that bills psychiatric IOP per diem (S9480) rather than H0015, to load as a payer's
 * rule set in a demo or a test: ILLUSTRATIVE, not any real payer's policy.
 */
export const ILLUSTRATIVE_PSYCHIATRIC_IOP_BILLING: Omit<BillingRules, 'id' | 'illustrative'> & {
  readonly payerCode: string;
} = {
  payerCode: 'illustrative-commercial',
  codes: [
    {
      level: LevelOfCare.IntensiveOutpatient,
      code: 'S9480',
      minMinutesPerDay: 3 * HOUR,
      minDaysPerWeek: 3,
      unitsPerDay: 1,
    },
  ],
  warnUnitsRemaining: 2,
  warnDaysBeforeExpiry: 5,
};

/** In force until a network administrator loads a rule set of the kind. */
export const ILLUSTRATIVE_RULES: RulesInForce = {
  programShape: ILLUSTRATIVE_PROGRAM_SHAPE,
  progress: ILLUSTRATIVE_PROGRESS,
  programPolicy: ILLUSTRATIVE_PROGRAM_POLICY,
  billing: [ILLUSTRATIVE_BILLING],
};
