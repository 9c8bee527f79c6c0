/** 42 CFR Part 2 consent vocabularies (ConsentGranted). */

export enum ConsentPurpose {
  Treatment = 'treatment',
  Payment = 'payment',
  HealthCareOperations = 'health-care-operations',
  FamilyInvolvement = 'family-involvement',
  CareCoordination = 'care-coordination',
}

/**
 * What a consent lets the program disclose. SUD counseling notes are deliberately absent: they are never covered
 * by a general consent.
 */
export enum InformationCategory {
  /** Who the client is (name, birth date, language): the FHIR Patient resource. Never contact details. */
  Demographics = 'demographics',
  Attendance = 'attendance',
  Schedule = 'schedule',
  Screenings = 'screenings',
  Assessments = 'assessments',
  TreatmentPlan = 'treatment-plan',
  ProgressNotes = 'progress-notes',
  DrugScreens = 'drug-screens',
  LevelOfCare = 'level-of-care',
  DischargeSummary = 'discharge-summary',
}

/** Who a consent names as the recipient (ConsentGranted.recipient.kind). */
export enum RecipientKind {
  FamilyMember = 'family-member',
  ProviderOrganization = 'provider-organization',
  Payer = 'payer',
  CareCoordinator = 'care-coordinator',
  LegalRepresentative = 'legal-representative',
  OtherOrganization = 'other-organization',
}
