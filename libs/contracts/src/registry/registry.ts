import { AssessmentCompleted } from '../events/intake/assessment-completed';
import { ClientAdmitted } from '../events/intake/client-admitted';
import { ClientDischarged } from '../events/intake/client-discharged';
import { ClientTransferred } from '../events/intake/client-transferred';
import { ConsentGranted } from '../events/intake/consent-granted';
import { ConsentRevoked } from '../events/intake/consent-revoked';
import { EmergencyAccessGranted } from '../events/intake/emergency-access-granted';
import { EpisodeDiagnosesChanged } from '../events/intake/episode-diagnoses-changed';
import { LevelOfCareChanged } from '../events/intake/level-of-care-changed';
import { LevelOfCareRecommendationDeclined } from '../events/intake/level-of-care-recommendation-declined';
import { PayerAuthorizationRecorded } from '../events/intake/payer-authorization-recorded';
import { RecordsDisclosed } from '../events/intake/records-disclosed';
import { ReferralReceived } from '../events/intake/referral-received';
import { ScreeningCompleted } from '../events/intake/screening-completed';
import { TreatmentPlanReviewed } from '../events/intake/treatment-plan-reviewed';
import { TreatmentPlanSigned } from '../events/intake/treatment-plan-signed';
import { NotificationFailed } from '../events/notifications/notification-failed';
import { NotificationSent } from '../events/notifications/notification-sent';
import { NotificationSuppressed } from '../events/notifications/notification-suppressed';
import { CareRuleSetLoaded } from '../events/scheduling/care-rule-set-loaded';
import { AppointmentCancelled } from '../events/scheduling/appointment-cancelled';
import { AppointmentRescheduled } from '../events/scheduling/appointment-rescheduled';
import { AppointmentScheduled } from '../events/scheduling/appointment-scheduled';
import { ClientEnrolled } from '../events/scheduling/client-enrolled';
import { ClientWaitlisted } from '../events/scheduling/client-waitlisted';
import { ProgramTrackUpserted } from '../events/scheduling/program-track-upserted';
import { ScheduleBelowLevelMinimum } from '../events/scheduling/schedule-below-level-minimum';
import { ScheduleOutsideProgramShape } from '../events/scheduling/schedule-outside-program-shape';
import { SiteUpserted } from '../events/scheduling/site-upserted';
import { StaffMemberUpserted } from '../events/scheduling/staff-member-upserted';
import { AuthorizationExpiring, AuthorizationUnitsLow } from '../events/sessions/authorization-alerts';
import { DrugScreenResulted } from '../events/sessions/drug-screen-resulted';
import { EngagementRiskDetected } from '../events/sessions/engagement-risk-detected';
import { ExpectedStayReached } from '../events/sessions/expected-stay-reached';
import { FamilyParticipationRecorded } from '../events/sessions/family-participation-recorded';
import {
  MedicationStarted,
  MedicationStopped,
  PossibleMedicationDiversion,
} from '../events/sessions/medication-events';
import { NoteSigned } from '../events/sessions/note-signed';
import { SessionAttended } from '../events/sessions/session-attended';
import { SessionMissed } from '../events/sessions/session-missed';
import { StepDownRecommended } from '../events/sessions/step-down-recommended';
import { StepUpRecommended } from '../events/sessions/step-up-recommended';
import { WeeklyHoursRecalculated } from '../events/sessions/weekly-hours-recalculated';
import { WeeklyHoursShortfall } from '../events/sessions/weekly-hours-shortfall';
import { type EventDefinition, type PayloadClass } from '../events/define-event';
import { type TopicName } from '../topics/topics';

/**
 * Every event type of the product, in catalogue order. Adding an event means adding its file under
 * `events/<service>/` and one line here; the types below, the generated AsyncAPI document and the JSON Schemas
 * follow from this list.
 */
export const EVENT_DEFINITIONS = [
  ReferralReceived,
  ScreeningCompleted,
  AssessmentCompleted,
  ClientAdmitted,
  TreatmentPlanSigned,
  TreatmentPlanReviewed,
  ConsentGranted,
  ConsentRevoked,
  EmergencyAccessGranted,
  LevelOfCareChanged,
  PayerAuthorizationRecorded,
  EpisodeDiagnosesChanged,
  ClientTransferred,
  LevelOfCareRecommendationDeclined,
  ClientDischarged,
  RecordsDisclosed,
  SiteUpserted,
  ProgramTrackUpserted,
  StaffMemberUpserted,
  CareRuleSetLoaded,
  ClientEnrolled,
  ClientWaitlisted,
  AppointmentScheduled,
  AppointmentRescheduled,
  AppointmentCancelled,
  ScheduleBelowLevelMinimum,
  ScheduleOutsideProgramShape,
  SessionAttended,
  SessionMissed,
  FamilyParticipationRecorded,
  NoteSigned,
  MedicationStarted,
  MedicationStopped,
  DrugScreenResulted,
  PossibleMedicationDiversion,
  WeeklyHoursShortfall,
  WeeklyHoursRecalculated,
  EngagementRiskDetected,
  StepDownRecommended,
  StepUpRecommended,
  ExpectedStayReached,
  AuthorizationUnitsLow,
  AuthorizationExpiring,
  NotificationSent,
  NotificationSuppressed,
  NotificationFailed,
] as const;

export type AnyEventDefinition = (typeof EVENT_DEFINITIONS)[number];

/** `'ClientAdmitted' | 'SessionAttended' | ...` */
export type EventTypeName = AnyEventDefinition['type'];

export type EventDefinitionOf<T extends EventTypeName> = Extract<AnyEventDefinition, { readonly type: T }>;

/** From event type name to its payload type: what `encodeEvent` accepts and what handlers receive. */
export type EventPayloads = {
  [T in EventTypeName]: InstanceType<EventDefinitionOf<T>['payload']>;
};

export type EventPayload<T extends EventTypeName> = EventPayloads[T];

/** From event type name to the payload class of its latest version (the runtime side of `EventPayloads`). */
export type EventPayloadClasses = { readonly [T in EventTypeName]: PayloadClass<EventPayload<T>> };

export const EVENT_TYPES: readonly EventTypeName[] = [
  ...new Set(EVENT_DEFINITIONS.map((definition) => definition.type)),
];

/** Latest version per name; a name may be registered in several versions while a migration publishes both. */
const latestByType = new Map<string, AnyEventDefinition>();
const byCeType = new Map<string, AnyEventDefinition>();
const versionsByType = new Map<string, number[]>();
for (const definition of EVENT_DEFINITIONS) {
  // Fail at load, not at first publish: two entries with one ce_type would make decoding ambiguous.
  if (byCeType.has(definition.ceType)) throw new Error(`Event ${definition.ceType} is registered twice`);
  byCeType.set(definition.ceType, definition);
  const latest = latestByType.get(definition.type);
  if (!latest || latest.version < definition.version) latestByType.set(definition.type, definition);
  versionsByType.set(
    definition.type,
    [...(versionsByType.get(definition.type) ?? []), definition.version].sort((a, b) => a - b),
  );
}

export const EVENT_PAYLOAD_CLASSES: EventPayloadClasses = Object.fromEntries(
  [...latestByType.values()].map((definition) => [definition.type, definition.payload]),
) as unknown as EventPayloadClasses;

export function isEventTypeName(value: string): value is EventTypeName {
  return latestByType.has(value);
}

/** The definition of an event type: its latest version, or the version asked for. */
export function eventDefinition<T extends EventTypeName>(type: T, version?: number): EventDefinitionOf<T> {
  const latest = latestByType.get(type);
  if (!latest) throw new Error(`Unknown event type ${type}`);
  if (version === undefined || version === latest.version) return latest as EventDefinitionOf<T>;
  const definition = byCeType.get(latest.ceType.replace(/\.v\d+$/, `.v${version}`));
  if (!definition) throw new Error(`Event type ${type} has no version ${version}`);
  return definition as EventDefinitionOf<T>;
}

/** Resolves a `ce_type` value; `undefined` when no registered event has it. */
export function findEventDefinitionByCeType(ceType: string): AnyEventDefinition | undefined {
  return byCeType.get(ceType);
}

/** The versions registered for an event name (empty when the name is unknown). */
export function registeredVersions(type: string): readonly number[] {
  return versionsByType.get(type) ?? [];
}

export function eventDefinitionsOnTopic(topic: TopicName): readonly AnyEventDefinition[] {
  return EVENT_DEFINITIONS.filter((definition) => definition.topic === topic);
}

/** Widens a typed definition for code that walks the registry generically. */
export function allEventDefinitions(): readonly EventDefinition[] {
  return EVENT_DEFINITIONS;
}
