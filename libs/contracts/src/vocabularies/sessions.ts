/** Vocabularies of the sessions service's events. */

/** SessionAttended.status (absences are SessionMissed, not a status). */
export enum AttendanceStatus {
  Present = 'present',
  Late = 'late',
  LeftEarly = 'left-early',
}

/** SessionMissed.reasonCode */
export enum MissedSessionReason {
  Illness = 'illness',
  MedicalAppointment = 'medical-appointment',
  Hospitalization = 'hospitalization',
  Transportation = 'transportation',
  WorkConflict = 'work-conflict',
  SchoolConflict = 'school-conflict',
  Childcare = 'childcare',
  FamilyEmergency = 'family-emergency',
  CourtAppearance = 'court-appearance',
  Weather = 'weather',
  NoShow = 'no-show',
  OtherExcused = 'other-excused',
}

/** NoteSigned.format: the standard clinical note structures, written as clinicians write them. */
export enum NoteFormat {
  Soap = 'SOAP',
  Dap = 'DAP',
  Birp = 'BIRP',
  Girp = 'GIRP',
}

/** DrugScreenResulted.result */
export enum DrugScreenResult {
  Negative = 'negative',
  Positive = 'positive',
  Dilute = 'dilute',
  Invalid = 'invalid',
  Refused = 'refused',
  /** The specimen was tampered with (the laboratory's finding). */
  Adulterated = 'adulterated',
}

/**
 * DrugScreenResulted.interpretation: what the program's screen policy made of a result, given the episode's
 * medications (the program policy in force, a care rule set).
 */
export enum ScreenInterpretation {
  Negative = 'negative',
  /** Positive for a substance no active MAT medication explains: use (a relapse). */
  Use = 'use',
  /** Positive only for substances an active MAT medication is expected to show: not use. */
  ExpectedMedication = 'expected-medication',
  /** A prescribed MAT medication's expected substance is missing: possible diversion, not a relapse. */
  PossibleDiversion = 'possible-diversion',
  /** Refused or adulterated: counted as a positive for the progress rules, without moving the sobriety date. */
  TreatedAsPositive = 'treated-as-positive',
  /** Dilute or invalid: counts neither way; a new specimen is to be collected. */
  RetestRequested = 'retest-requested',
}

/** MedicationStarted.medicationCode: medications an SUD program prescribes or records (codes, not brand names). */
export enum MedicationCode {
  Buprenorphine = 'buprenorphine',
  BuprenorphineNaloxone = 'buprenorphine-naloxone',
  BuprenorphineExtendedRelease = 'buprenorphine-extended-release',
  Methadone = 'methadone',
  NaltrexoneOral = 'naltrexone-oral',
  NaltrexoneExtendedRelease = 'naltrexone-extended-release',
  Acamprosate = 'acamprosate',
  Disulfiram = 'disulfiram',
  Clonidine = 'clonidine',
  Lofexidine = 'lofexidine',
  Gabapentin = 'gabapentin',
  Antidepressant = 'antidepressant',
  Benzodiazepine = 'benzodiazepine',
  Stimulant = 'stimulant',
  Other = 'other',
}

/** DrugScreenResulted.substanceCodes: the substances a positive screen detected. */
export enum SubstanceCode {
  Alcohol = 'alcohol',
  Amphetamines = 'amphetamines',
  Methamphetamine = 'methamphetamine',
  Barbiturates = 'barbiturates',
  Benzodiazepines = 'benzodiazepines',
  Buprenorphine = 'buprenorphine',
  Cannabinoids = 'cannabinoids',
  Cocaine = 'cocaine',
  Fentanyl = 'fentanyl',
  Methadone = 'methadone',
  Mdma = 'mdma',
  Opiates = 'opiates',
  Oxycodone = 'oxycodone',
  Phencyclidine = 'phencyclidine',
  Tramadol = 'tramadol',
  Xylazine = 'xylazine',
  Other = 'other',
}

/** EngagementRiskDetected.reason */
export enum EngagementRiskReason {
  ConsecutiveAbsences = 'consecutive-absences',
  PositiveScreens = 'positive-screens',
  HoursShortfall = 'hours-shortfall',
}

/** FamilyParticipationRecorded: whether a consented family member attended a family session. */
export enum FamilyParticipation {
  Present = 'present',
  Absent = 'absent',
}

/** LevelOfCareRecommendationDeclined.direction: which kind of recommendation was declined. */
export enum RecommendationDirection {
  StepDown = 'step-down',
  StepUp = 'step-up',
}
