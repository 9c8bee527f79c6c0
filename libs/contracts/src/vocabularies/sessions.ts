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

/** LevelOfCareRecommendationDeclined.direction: which kind of recommendation was declined. */
export enum RecommendationDirection {
  StepDown = 'step-down',
  StepUp = 'step-up',
}
