import { type Resource } from '@medplum/fhirtypes';
import { withPart2Labels } from '../rest/part2-labels';
import { r4Issues } from '../testing/validate-r4';
import {
  FHIR_WEBHOOK_EVENT_TYPES,
  type FhirEventContext,
  isFhirWebhookEventType,
  resourceOfEvent,
} from './event-resources';

const CLIENT = '0190a1b2-0000-7000-8000-000000000001';
const EPISODE = '0190a1b2-0000-7000-8000-0000000000a1';
const APPOINTMENT = '0190a1b2-0000-7000-8000-0000000000b1';
const CONSENT = '0190a1b2-0000-7000-8000-0000000000c1';
const RECIPIENT = '0190a1b2-0000-7000-8000-0000000000e1';

const context: FhirEventContext = {
  occurredAt: new Date('2026-03-10T12:00:00Z'),
  consent: {
    consentId: CONSENT,
    recipientKind: 'provider-organization',
    recipientId: RECIPIENT,
    informationCategories: ['level-of-care', 'attendance'],
    purposes: ['care-coordination'],
    expiresAt: new Date('2027-02-01T09:00:00Z'),
  },
};

const NOTICE = {
  noticeVersion: 'part2-notice@2024',
  noticeText: '42 CFR part 2 notice',
  redisclosureVersion: 'redisclosure@1',
  redisclosureText: 'Redisclosure is permitted only as the consent allows.',
};

/** Valid R4 as built, and still valid once labelled as Part 2 data (as a delivery carries it). */
function expectValid(resource: Resource): void {
  expect(r4Issues(resource)).toEqual([]);
  expect(r4Issues(withPart2Labels(resource, NOTICE))).toEqual([]);
}

/** No resource a webhook carries names the client or tells a birth date or a way to reach them. */
function expectNoDemographics(resource: Resource): void {
  const text = JSON.stringify(resource);
  for (const key of ['"name"', '"birthDate"', '"telecom"', '"address"']) expect(text).not.toContain(key);
}

describe('care events as the FHIR R4 resource they change', () => {
  it('offers exactly the events that change an EpisodeOfCare, Consent, Appointment or Encounter', () => {
    expect([...FHIR_WEBHOOK_EVENT_TYPES].sort()).toEqual([
      'AppointmentCancelled',
      'AppointmentRescheduled',
      'AppointmentScheduled',
      'ClientAdmitted',
      'ClientDischarged',
      'ClientTransferred',
      'ConsentGranted',
      'ConsentRevoked',
      'LevelOfCareChanged',
      'SessionAttended',
    ]);
    expect(isFhirWebhookEventType('DrugScreenResulted')).toBe(false);
    expect(isFhirWebhookEventType('toString')).toBe(false);
  });

  it('ClientAdmitted: an active EpisodeOfCare, its clinical level and the admission as its start', () => {
    const episode = resourceOfEvent(
      'ClientAdmitted',
      { episodeId: EPISODE, clientId: CLIENT, levelOfCare: '2.1', admittedAt: '2026-02-02T14:00:00.000Z' },
      context,
    );
    expectValid(episode);
    expectNoDemographics(episode);
    expect(episode).toEqual({
      resourceType: 'EpisodeOfCare',
      id: EPISODE,
      status: 'active',
      type: [{ coding: [{ system: expect.any(String), code: '2.1' }], text: 'clinical level of care' }],
      patient: { reference: `Patient/${CLIENT}` },
      period: { start: '2026-02-02T14:00:00.000Z' },
    });
  });

  it('LevelOfCareChanged: the level that changed, named clinical or authorized; no period it does not tell', () => {
    const facts = { episodeId: EPISODE, clientId: CLIENT, kind: 'clinical', toLevel: '1' };
    const clinical = resourceOfEvent('LevelOfCareChanged', facts, context);
    expectValid(clinical);
    expect(clinical.type).toEqual([expect.objectContaining({ text: 'clinical level of care' })]);
    expect(clinical.period).toBeUndefined();
    const authorized = resourceOfEvent('LevelOfCareChanged', { ...facts, kind: 'authorized' }, context);
    expectValid(authorized);
    expect(authorized.type).toEqual([
      { coding: [expect.objectContaining({ code: '1' })], text: 'authorized level of care' },
    ]);
  });

  it('ClientTransferred and ClientDischarged: the episode continues at a level; it finishes with its end', () => {
    const moved = resourceOfEvent(
      'ClientTransferred',
      { episodeId: EPISODE, clientId: CLIENT, levelOfCare: '2.5' },
      context,
    );
    expectValid(moved);
    expect(moved).toMatchObject({ status: 'active', type: [{ coding: [{ code: '2.5' }] }] });
    const ended = resourceOfEvent(
      'ClientDischarged',
      { episodeId: EPISODE, clientId: CLIENT, dischargedAt: '2026-04-30T16:00:00.000Z' },
      context,
    );
    expectValid(ended);
    expect(ended).toMatchObject({ status: 'finished', period: { end: '2026-04-30T16:00:00.000Z' } });
    expect(ended.type).toEqual([]);
  });

  it('ConsentGranted: the consent in force; ConsentRevoked: the revoked consent, inactive from then', () => {
    const granted = resourceOfEvent(
      'ConsentGranted',
      {
        consentId: CONSENT,
        clientId: CLIENT,
        recipient: { kind: 'provider-organization', id: RECIPIENT },
        purposes: ['care-coordination'],
        informationCategories: ['attendance'],
        grantedAt: '2026-03-01T09:00:00.000Z',
        expiresAt: '2027-03-01T09:00:00.000Z',
      },
      context,
    );
    expectValid(granted);
    expectNoDemographics(granted);
    expect(granted).toMatchObject({
      resourceType: 'Consent',
      status: 'active',
      provision: {
        class: [{ code: 'attendance' }],
        actor: [{ reference: { identifier: { value: RECIPIENT } } }],
      },
    });
    const revoked = resourceOfEvent(
      'ConsentRevoked',
      { consentId: CONSENT, clientId: CLIENT, revokedAt: '2026-03-10T11:00:00.000Z' },
      context,
    );
    expectValid(revoked);
    expect(revoked).toMatchObject({
      status: 'inactive',
      provision: { period: { end: '2026-03-10T11:00:00.000Z' } },
    });
    expect(revoked.dateTime).toBeUndefined();
    expect(revoked.provision?.class?.map((c) => c.code)).toEqual(['level-of-care', 'attendance']);
  });

  it('Appointment events: booked with its time; rescheduled with the new one; cancelled without a time', () => {
    const booked = resourceOfEvent(
      'AppointmentScheduled',
      {
        appointmentId: APPOINTMENT,
        clientId: CLIENT,
        sessionType: 'group',
        startsAt: '2026-03-09T22:00:00.000Z',
        endsAt: '2026-03-10T01:00:00.000Z',
      },
      context,
    );
    expectValid(booked);
    expect(booked).toMatchObject({
      status: 'booked',
      minutesDuration: 180,
      serviceType: [{ coding: [{ code: 'group' }] }],
    });
    const moved = resourceOfEvent(
      'AppointmentRescheduled',
      {
        appointmentId: APPOINTMENT,
        clientId: CLIENT,
        startsAt: '2026-03-11T22:00:00.000Z',
        endsAt: '2026-03-11T23:00:00.000Z',
      },
      context,
    );
    expectValid(moved);
    expect(moved).toMatchObject({ status: 'booked', start: '2026-03-11T22:00:00.000Z', minutesDuration: 60 });
    expect(moved.serviceType).toBeUndefined();
    const cancelled = resourceOfEvent(
      'AppointmentCancelled',
      { appointmentId: APPOINTMENT, clientId: CLIENT },
      context,
    );
    expectValid(cancelled);
    expect(cancelled).toMatchObject({ status: 'cancelled', participant: [{ status: 'declined' }] });
    expect(cancelled.start).toBeUndefined();
  });

  it('SessionAttended: a finished Encounter on the session day, its class stated as unknown rather than guessed', () => {
    const encounter = resourceOfEvent(
      'SessionAttended',
      {
        attendanceId: '0190a1b2-0000-7000-8000-0000000000d1',
        appointmentId: APPOINTMENT,
        clientId: CLIENT,
        episodeId: EPISODE,
        status: 'left-early',
        minutesAttended: 95,
        sessionDate: '2026-03-09',
      },
      context,
    );
    expectValid(encounter);
    expectNoDemographics(encounter);
    expect(encounter).toMatchObject({
      status: 'finished',
      type: [{ coding: [{ code: 'left-early' }] }],
      length: { value: 95 },
      period: { start: '2026-03-09', end: '2026-03-09' },
      episodeOfCare: [{ reference: `EpisodeOfCare/${EPISODE}` }],
      appointment: [{ reference: `Appointment/${APPOINTMENT}` }],
    });
    expect(encounter.class.code).toBeUndefined();
  });
});
