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

/** LevelOfCareChanged.reasonCode */
export enum LevelOfCareChangeReason {
  AssessmentRecommendation = 'assessment-recommendation',
  StepDown = 'step-down',
  StepUp = 'step-up',
  PayerAuthorization = 'payer-authorization',
  PayerDenial = 'payer-denial',
  AuthorizationExpired = 'authorization-expired',
  ClientRequest = 'client-request',
  Administrative = 'administrative',
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
