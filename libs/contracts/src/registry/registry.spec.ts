import { getMetadataStorage } from 'class-validator';
import { CARE_TOPICS, Topics } from '../topics/topics';
import { Confidentiality } from '../vocabularies/confidentiality';
import {
  EVENT_DEFINITIONS,
  EVENT_PAYLOAD_CLASSES,
  EVENT_TYPES,
  eventDefinition,
  eventDefinitionsOnTopic,
  findEventDefinitionByCeType,
  isEventTypeName,
  registeredVersions,
} from './registry';

/**
 * The catalogue of events.md, copied by hand: topic, record key and confidentiality per type. The registry must
 * match it exactly, so a contract cannot drift from the design without this test being edited too.
 */
const CATALOGUE: ReadonlyArray<readonly [type: string, topic: string, key: string, confidentiality: string]> =
  [
    ['ReferralReceived', 'intake.events.v1', 'referralId', 'part2'],
    ['ScreeningCompleted', 'intake.events.v1', 'clientId', 'part2'],
    ['AssessmentCompleted', 'intake.events.v1', 'clientId', 'part2'],
    ['ClientAdmitted', 'intake.events.v1', 'clientId', 'part2'],
    ['TreatmentPlanSigned', 'intake.events.v1', 'clientId', 'part2'],
    ['TreatmentPlanReviewed', 'intake.events.v1', 'clientId', 'part2'],
    ['ConsentGranted', 'intake.events.v1', 'clientId', 'part2'],
    ['ConsentRevoked', 'intake.events.v1', 'clientId', 'part2'],
    ['EmergencyAccessGranted', 'intake.events.v1', 'clientId', 'part2'],
    ['LevelOfCareChanged', 'intake.events.v1', 'clientId', 'part2'],
    ['PayerAuthorizationRecorded', 'intake.events.v1', 'clientId', 'part2'],
    ['EpisodeDiagnosesChanged', 'intake.events.v1', 'clientId', 'part2'],
    ['ClientTransferred', 'intake.events.v1', 'clientId', 'part2'],
    ['LevelOfCareRecommendationDeclined', 'intake.events.v1', 'clientId', 'part2'],
    ['ClientDischarged', 'intake.events.v1', 'clientId', 'part2'],
    ['RecordsDisclosed', 'intake.events.v1', 'clientId', 'part2'],
    ['SiteUpserted', 'scheduling.reference.v1', 'siteId', 'internal'],
    ['ProgramTrackUpserted', 'scheduling.reference.v1', 'programTrackId', 'internal'],
    ['StaffMemberUpserted', 'scheduling.reference.v1', 'staffId', 'internal'],
    ['CareRuleSetLoaded', 'scheduling.reference.v1', 'recordId', 'internal'],
    ['ClientEnrolled', 'scheduling.events.v1', 'clientId', 'part2'],
    ['ClientWaitlisted', 'scheduling.events.v1', 'clientId', 'part2'],
    ['AppointmentScheduled', 'scheduling.events.v1', 'clientId', 'part2'],
    ['AppointmentRescheduled', 'scheduling.events.v1', 'clientId', 'part2'],
    ['AppointmentCancelled', 'scheduling.events.v1', 'clientId', 'part2'],
    ['ScheduleBelowLevelMinimum', 'scheduling.events.v1', 'clientId', 'part2'],
    ['ScheduleOutsideProgramShape', 'scheduling.events.v1', 'clientId', 'part2'],
    ['SessionAttended', 'sessions.events.v1', 'clientId', 'part2'],
    ['SessionMissed', 'sessions.events.v1', 'clientId', 'part2'],
    ['FamilyParticipationRecorded', 'sessions.events.v1', 'clientId', 'part2'],
    ['NoteSigned', 'sessions.events.v1', 'clientId', 'part2'],
    ['MedicationStarted', 'sessions.events.v1', 'clientId', 'part2'],
    ['MedicationStopped', 'sessions.events.v1', 'clientId', 'part2'],
    ['DrugScreenResulted', 'sessions.events.v1', 'clientId', 'part2'],
    ['PossibleMedicationDiversion', 'sessions.events.v1', 'clientId', 'part2'],
    ['WeeklyHoursShortfall', 'sessions.events.v1', 'clientId', 'part2'],
    ['WeeklyHoursRecalculated', 'sessions.events.v1', 'clientId', 'part2'],
    ['EngagementRiskDetected', 'sessions.events.v1', 'clientId', 'part2'],
    ['StepDownRecommended', 'sessions.events.v1', 'clientId', 'part2'],
    ['StepUpRecommended', 'sessions.events.v1', 'clientId', 'part2'],
    ['ExpectedStayReached', 'sessions.events.v1', 'clientId', 'part2'],
    ['AuthorizationUnitsLow', 'sessions.events.v1', 'clientId', 'part2'],
    ['AuthorizationExpiring', 'sessions.events.v1', 'clientId', 'part2'],
    ['NotificationSent', 'notifications.events.v1', 'recipientId', 'internal'],
    ['NotificationSuppressed', 'notifications.events.v1', 'recipientId', 'internal'],
    ['NotificationFailed', 'notifications.events.v1', 'recipientId', 'internal'],
  ];

describe('event registry', () => {
  it('has exactly the 46 event types of events.md', () => {
    expect(CATALOGUE).toHaveLength(46);
    expect([...EVENT_TYPES].sort()).toEqual(CATALOGUE.map(([type]) => type).sort());
  });

  it.each(CATALOGUE)('%s is on %s, keyed by %s, %s', (type, topic, key, confidentiality) => {
    if (!isEventTypeName(type)) throw new Error(`${type} is not registered`);
    const definition = eventDefinition(type);
    expect({
      topic: definition.topic,
      key: definition.key,
      confidentiality: definition.confidentiality,
      version: definition.version,
    }).toEqual({ topic, key, confidentiality, version: 1 });
  });

  it.each(EVENT_DEFINITIONS.map((definition) => [definition.type, definition] as const))(
    '%s has ce_type care.<service>.<EventName>.v<version> and source /stepwise/<service>',
    (type, definition) => {
      expect(definition.ceType).toBe(`care.${definition.service}.${type}.v${definition.version}`);
      expect(definition.source).toBe(`/stepwise/${definition.service}`);
      expect(findEventDefinitionByCeType(definition.ceType)).toBe(definition);
      expect(registeredVersions(type)).toEqual([1]);
    },
  );

  it('publishes each event on a topic its own service owns', () => {
    for (const definition of EVENT_DEFINITIONS) {
      const topic = CARE_TOPICS.find((spec) => spec.name === definition.topic);
      expect({ type: definition.type, owner: topic?.owner }).toEqual({
        type: definition.type,
        owner: definition.service,
      });
    }
  });

  it('keys every event by a UUID property of its payload', () => {
    for (const definition of EVENT_DEFINITIONS) {
      const rules = getMetadataStorage()
        .getTargetValidationMetadatas(definition.payload, '', true, false)
        .filter((metadata) => metadata.propertyName === definition.key)
        .map((metadata) => metadata.name ?? metadata.type);
      expect({ type: definition.type, rules }).toEqual({ type: definition.type, rules: ['isUuid'] });
    }
  });

  it('gives every payload class a unique name (schema names derive from it)', () => {
    const names = EVENT_DEFINITIONS.map((definition) => definition.payload.name);
    expect(new Set(names).size).toBe(names.length);
    for (const definition of EVENT_DEFINITIONS)
      expect(definition.payload.name).toBe(`${definition.type}V1Payload`);
  });

  it('maps each type to its payload class', () => {
    for (const definition of EVENT_DEFINITIONS) {
      expect(EVENT_PAYLOAD_CLASSES[definition.type]).toBe(definition.payload);
    }
  });

  it('lists the events of a topic', () => {
    expect(eventDefinitionsOnTopic(Topics.SchedulingReference).map((definition) => definition.type)).toEqual([
      'SiteUpserted',
      'ProgramTrackUpserted',
      'StaffMemberUpserted',
      'CareRuleSetLoaded',
    ]);
    expect(eventDefinitionsOnTopic(Topics.NotificationsEvents)).toHaveLength(3);
  });

  it('marks only reference data and notification outcomes as internal', () => {
    const internal = EVENT_DEFINITIONS.filter((d) => d.confidentiality === Confidentiality.Internal).map(
      (d) => d.type,
    );
    expect(internal.sort()).toEqual(
      [
        'CareRuleSetLoaded',
        'NotificationFailed',
        'NotificationSent',
        'NotificationSuppressed',
        'ProgramTrackUpserted',
        'SiteUpserted',
        'StaffMemberUpserted',
      ].sort(),
    );
  });

  it('does not resolve unknown names or versions', () => {
    expect(isEventTypeName('ClientAdmittedd')).toBe(false);
    expect(findEventDefinitionByCeType('care.intake.ClientAdmitted.v2')).toBeUndefined();
    expect(registeredVersions('Nope')).toEqual([]);
    expect(() => eventDefinition('Nope' as never)).toThrow('Unknown event type Nope');
  });
});
