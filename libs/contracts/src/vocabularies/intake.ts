/** Reason codes and kinds of the intake service's events. */

/** ReferralReceived.source */
export enum ReferralSource {
  Self = 'self',
  Family = 'family',
  Physician = 'physician',
  Court = 'court',
  Employer = 'employer',
  StepDown = 'step-down',
  Other = 'other',
}

/** LevelOfCareChanged.kind: the clinical level (what the assessment says) or the payer-authorized level. */
export enum LevelOfCareChangeKind {
  Clinical = 'clinical',
  Authorized = 'authorized',
}

/** LevelOfCareChanged.reasonCode, ClientTransferred.reasonCode */
export enum LevelOfCareChangeReason {
  /** A clinician's own judgement, without a system recommendation. */
  ClinicalJudgement = 'clinical-judgement',
  /** The client moved, or is better served at another site of the network. */
  ClientRelocation = 'client-relocation',
  AssessmentRecommendation = 'assessment-recommendation',
  StepDown = 'step-down',
  StepUp = 'step-up',
  PayerAuthorization = 'payer-authorization',
  PayerDenial = 'payer-denial',
  AuthorizationExpired = 'authorization-expired',
  ClientRequest = 'client-request',
  Administrative = 'administrative',
}

/** LevelOfCareRecommendationDeclined.reasonCode: why a clinician declined a recommended level change. */
export enum ReviewDeclineReason {
  ClinicalJudgement = 'clinical-judgement',
  InsufficientEvidence = 'insufficient-evidence',
  ClientPreference = 'client-preference',
  RecentRelapse = 'recent-relapse',
  PayerDenial = 'payer-denial',
  LevelNotAvailable = 'level-not-available',
  Superseded = 'superseded',
  /** Set by intake, not by a clinician: the episode was discharged before the review was decided. */
  EpisodeEnded = 'episode-ended',
}

/** ClientDischarged.reason */
export enum DischargeReason {
  Completed = 'completed',
  Transferred = 'transferred',
  LeftAgainstAdvice = 'left-against-advice',
  Administrative = 'administrative',
}

/** ClientDischarged.referredTo: the continuum of care after discharge, as codes (never a provider's name). */
export enum AftercareReferral {
  OutpatientTherapy = 'outpatient-therapy',
  IntensiveOutpatient = 'intensive-outpatient',
  PartialHospitalization = 'partial-hospitalization',
  ResidentialTreatment = 'residential-treatment',
  InpatientTreatment = 'inpatient-treatment',
  SoberLiving = 'sober-living',
  AlumniGroup = 'alumni-group',
  PeerSupportGroup = 'peer-support-group',
  MedicationAssistedTreatment = 'medication-assisted-treatment',
  MentalHealthServices = 'mental-health-services',
  PrimaryCare = 'primary-care',
}

/**
 * EmergencyAccessGranted.reasonCode: why a clinician broke the glass to a record outside their sites
 * (42 CFR 2.51 medical emergency; HIPAA 164.312(a)(2)(ii) emergency access procedure).
 */
export enum EmergencyAccessReason {
  MedicalEmergency = 'medical-emergency',
  RiskOfHarm = 'risk-of-harm',
  EmergencyContinuityOfCare = 'emergency-continuity-of-care',
}
