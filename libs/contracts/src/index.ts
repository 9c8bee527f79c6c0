/**
 * @stepwise/contracts: the event contract of Stepwise. Payload classes and vocabularies, the registry (type,
 * version, topic, key, confidentiality), the CloudEvents envelope and the topic map. No framework in here.
 */
export * from './topics/topics';
export * from './vocabularies';

export { type PayloadViolation, PAYLOAD_VALIDATOR_OPTIONS } from './validation/violations';
// Claim code formats, for services' request bodies (one definition of what a valid code looks like).
export { IsCode, IsHcpcsCode, IsIcd10CmCode, IsReferenceNumber } from './validation/rules';
export {
  isCalendarDate,
  isHcpcsCode,
  isIcd10CmCode,
  isInstant,
  isTimeOfDay,
  isUuid,
} from './validation/formats';

export {
  type EventDefinition,
  type PayloadClass,
  type StringKeyOf,
  ceSourceOf,
  ceTypeOf,
} from './events/define-event';
export * from './events/intake/assessment-completed';
export * from './events/intake/client-admitted';
export * from './events/intake/client-discharged';
export * from './events/intake/client-transferred';
export * from './events/intake/consent-granted';
export * from './events/intake/consent-revoked';
export * from './events/intake/emergency-access-granted';
export * from './events/intake/episode-diagnoses-changed';
export * from './events/intake/level-of-care-changed';
export * from './events/intake/payer-authorization-recorded';
export * from './disclosure/disclosure-notice';
export * from './events/intake/records-disclosed';
export * from './events/intake/referral-received';
export * from './events/intake/screening-completed';
export * from './events/intake/treatment-plan-reviewed';
export * from './events/intake/treatment-plan-signed';
export * from './events/scheduling/appointment-cancelled';
export * from './events/scheduling/appointment-rescheduled';
export * from './events/scheduling/appointment-scheduled';
export * from './events/scheduling/care-rule-set-loaded';
export * from './events/scheduling/client-enrolled';
export * from './events/scheduling/client-waitlisted';
export * from './events/scheduling/program-track-upserted';
export * from './events/scheduling/schedule-below-level-minimum';
export * from './events/scheduling/schedule-outside-program-shape';
export * from './events/scheduling/site-upserted';
export * from './events/scheduling/staff-member-upserted';
export * from './events/sessions/authorization-alerts';
export * from './events/sessions/drug-screen-resulted';
export * from './events/sessions/engagement-risk-detected';
export * from './events/sessions/expected-stay-reached';
export * from './events/sessions/family-participation-recorded';
export {
  LevelOfCareEvidence,
  StepDownRecommendedV1Payload,
  StepUpRecommendedV1Payload,
} from './events/sessions/level-of-care-recommendation';
export * from './events/sessions/note-signed';
export * from './events/sessions/session-attended';
export * from './events/sessions/session-missed';
export * from './events/sessions/step-down-recommended';
export * from './events/sessions/step-up-recommended';
export * from './events/sessions/weekly-hours-shortfall';
export * from './events/notifications/notification-failed';
export * from './events/notifications/notification-sent';
export * from './events/notifications/notification-suppressed';

export * from './registry/registry';
export * from './registry/payload-validation';

export * from './envelope/care-event';
export * from './envelope/contract-violation';
export * from './envelope/decode';
export * from './envelope/encode';
export * from './envelope/event-handlers';
export * from './envelope/headers';
export { isValidTraceparent } from './envelope/traceparent';
export { uuidv7 } from './envelope/uuid-v7';

export * from './testing/example-events';

export * from './metrics/metric-catalogue';
export {
  type ArtifactDrift,
  findGeneratedFileDrift,
  isUpToDate,
  writeGeneratedFiles,
} from './generation/generated-files';
export { stableJson } from './generation/stable-json';

export * from './webhooks/webhook-events';
export * from './webhooks/webhook-cloudevent';
export * from './webhooks/webhook-fhir';
