/**
 * The code systems and identifier systems the FHIR view uses. Standard ones where FHIR R4 has them (v3
 * ActCode, PurposeOfUse, ParticipationType; the consent scope and category code systems); the program's own
 * vocabularies (levels of care, information categories, recipient kinds) under one base, so an integrator can
 * tell them apart from standard codes.
 */
export const STEPWISE_FHIR_BASE = 'https://stepwise.example.org/fhir';

export const SYSTEMS = {
  /** ASAM level-of-care codes as the program stores them ('2.1', '2.5', ...). */
  levelOfCare: `${STEPWISE_FHIR_BASE}/CodeSystem/level-of-care`,
  /** Consent information categories (libs/contracts InformationCategory). */
  informationCategory: `${STEPWISE_FHIR_BASE}/CodeSystem/information-category`,
  /** Consent recipient kinds (libs/contracts RecipientKind). */
  recipientKind: `${STEPWISE_FHIR_BASE}/CodeSystem/recipient-kind`,
  /** Session types (group, individual, family ...) as scheduling names them. */
  sessionType: `${STEPWISE_FHIR_BASE}/CodeSystem/session-type`,
  /** Attendance outcomes (present, late, left-early). */
  attendance: `${STEPWISE_FHIR_BASE}/CodeSystem/attendance-outcome`,
  /** Identifier system of the organisations consents name as recipients (ConsentGranted.recipient.id). */
  recipientId: `${STEPWISE_FHIR_BASE}/NamingSystem/recipient-id`,
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  purposeOfUse: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
  participationType: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  consentScope: 'http://terminology.hl7.org/CodeSystem/consentscope',
  loinc: 'http://loinc.org',
} as const;

/** The regulation every consent here is granted under (42 CFR Part 2), as Consent.policy.uri. */
export const PART2_POLICY_URI = 'https://www.ecfr.gov/current/title-42/chapter-I/subchapter-A/part-2';
