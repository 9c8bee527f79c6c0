import { type Resource } from '@medplum/fhirtypes';
import { r4Issues } from '../testing/validate-r4';
import { operationOutcome, searchset } from '../index';
import { toAppointment } from './appointment';
import { toConsent } from './consent';
import { toEncounter } from './encounter';
import { toEpisodeOfCare } from './episode-of-care';
import { toPatient } from './patient';

const CLIENT = '0190a1b2-0000-7000-8000-000000000001';
const NOW = new Date('2026-03-10T12:00:00Z');

const consentFacts = {
  consentId: '0190a1b2-0000-7000-8000-0000000000c1',
  clientId: CLIENT,
  recipientKind: 'provider-organization',
  recipientId: '0190a1b2-0000-7000-8000-0000000000e1',
  informationCategories: ['demographics', 'level-of-care', 'attendance'],
  purposes: ['treatment', 'care-coordination'],
  grantedAt: new Date('2026-02-01T09:00:00Z'),
  expiresAt: new Date('2027-02-01T09:00:00Z'),
  revokedAt: null,
  endedByEvent: false,
};

function expectValid(resource: Resource): void {
  expect(r4Issues(resource)).toEqual([]);
}

describe('FHIR R4 mappings', () => {
  it('the validator itself refuses what R4 forbids (so an empty issue list means something)', () => {
    expect(
      r4Issues({ resourceType: 'Patient', birthDate: '1990-13-01', nickname: 'x' } as unknown as Resource),
    ).toEqual(
      expect.arrayContaining([expect.stringContaining('birthDate'), expect.stringContaining('nickname')]),
    );
    expect(
      r4Issues({ resourceType: 'Appointment', status: 'booked', participant: [{ status: 'accepted' }] }),
    ).toEqual(expect.arrayContaining([expect.stringContaining('app-3'), expect.stringContaining('app-1')]));
  });

  it('Patient is minimal: name, birth date and language, no contact details', () => {
    const patient = toPatient({
      clientId: CLIENT,
      givenName: 'Ada',
      familyName: 'Example',
      dateOfBirth: '1990-04-02',
      preferredLanguage: 'es',
    });
    expectValid(patient);
    expect(patient).toEqual({
      resourceType: 'Patient',
      id: CLIENT,
      name: [{ use: 'official', family: 'Example', given: ['Ada'] }],
      birthDate: '1990-04-02',
      communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'es' }] }, preferred: true }],
    });
    expectValid(
      toPatient({
        clientId: CLIENT,
        givenName: 'A',
        familyName: 'B',
        dateOfBirth: '2008-02-29',
        preferredLanguage: null,
      }),
    );
  });

  it('EpisodeOfCare: active with an open period; finished with its end; clinical and authorized levels', () => {
    const active = toEpisodeOfCare({
      episodeId: '0190a1b2-0000-7000-8000-0000000000a1',
      clientId: CLIENT,
      status: 'active',
      clinicalLevel: '2.1',
      authorizedLevel: null,
      admittedAt: new Date('2026-02-02T14:00:00Z'),
      dischargedAt: null,
    });
    expectValid(active);
    expect(active).toMatchObject({
      status: 'active',
      patient: { reference: `Patient/${CLIENT}` },
      period: { start: '2026-02-02T14:00:00.000Z' },
      type: [{ coding: [{ code: '2.1' }], text: 'clinical level of care' }],
    });
    expect(active.period?.end).toBeUndefined();
    const finished = toEpisodeOfCare({
      episodeId: '0190a1b2-0000-7000-8000-0000000000a1',
      clientId: CLIENT,
      status: 'discharged',
      clinicalLevel: '1',
      authorizedLevel: '2.1',
      admittedAt: new Date('2026-02-02T14:00:00Z'),
      dischargedAt: new Date('2026-04-30T16:00:00Z'),
    });
    expectValid(finished);
    expect(finished.status).toBe('finished');
    expect(finished.period).toEqual({ start: '2026-02-02T14:00:00.000Z', end: '2026-04-30T16:00:00.000Z' });
    expect(finished.type?.map((t) => t.coding?.[0]?.code)).toEqual(['1', '2.1']);
  });

  it('Consent: active while in force; inactive once revoked (period ends then), expired or ended by its event', () => {
    const active = toConsent(consentFacts, NOW);
    expectValid(active);
    expect(active.status).toBe('active');
    expect(active.provision?.class?.map((c) => c.code)).toEqual([
      'demographics',
      'level-of-care',
      'attendance',
    ]);
    expect(active.provision?.purpose?.map((c) => c.code)).toEqual(['TREAT', 'CAREMGT']);
    expect(active.provision?.actor?.[0]?.reference?.identifier?.value).toBe(consentFacts.recipientId);
    const revokedAt = new Date('2026-03-01T08:00:00Z');
    const revoked = toConsent({ ...consentFacts, revokedAt }, NOW);
    expectValid(revoked);
    expect(revoked.status).toBe('inactive');
    expect(revoked.provision?.period?.end).toBe(revokedAt.toISOString());
    // Revoked later than now: still active now.
    expect(toConsent({ ...consentFacts, revokedAt: new Date('2026-03-11T00:00:00Z') }, NOW).status).toBe(
      'active',
    );
    expect(toConsent({ ...consentFacts, expiresAt: NOW }, NOW).status).toBe('inactive');
    expect(toConsent({ ...consentFacts, endedByEvent: true }, NOW).status).toBe('inactive');
    for (const purposes of [['payment'], ['health-care-operations'], ['family-involvement']])
      expectValid(toConsent({ ...consentFacts, recipientKind: 'family-member', purposes }, NOW));
  });

  it('Appointment: booked or cancelled, the client the one participant', () => {
    const facts = {
      appointmentId: '0190a1b2-0000-7000-8000-0000000000b1',
      clientId: CLIENT,
      status: 'scheduled',
      sessionType: 'group',
      startsAt: new Date('2026-03-09T22:00:00Z'),
      endsAt: new Date('2026-03-10T01:00:00Z'),
    };
    const booked = toAppointment(facts);
    expectValid(booked);
    expect(booked).toMatchObject({ status: 'booked', minutesDuration: 180 });
    expect(booked.participant).toEqual([
      { actor: { reference: `Patient/${CLIENT}` }, required: 'required', status: 'accepted' },
    ]);
    const cancelled = toAppointment({ ...facts, status: 'cancelled' });
    expectValid(cancelled);
    expect(cancelled.status).toBe('cancelled');
  });

  it('Encounter: an attended session, finished, ambulatory or virtual, its minutes as length', () => {
    const facts = {
      attendanceId: '0190a1b2-0000-7000-8000-0000000000d1',
      clientId: CLIENT,
      appointmentId: '0190a1b2-0000-7000-8000-0000000000b1',
      episodeId: '0190a1b2-0000-7000-8000-0000000000a1',
      outcome: 'late',
      minutesAttended: 150,
      startsAt: new Date('2026-03-09T22:00:00Z'),
      endsAt: new Date('2026-03-10T01:00:00Z'),
      modality: 'in-person',
    };
    const inPerson = toEncounter(facts);
    expectValid(inPerson);
    expect(inPerson).toMatchObject({
      status: 'finished',
      class: { code: 'AMB' },
      length: { value: 150, code: 'min' },
      appointment: [{ reference: `Appointment/${facts.appointmentId}` }],
      episodeOfCare: [{ reference: `EpisodeOfCare/${facts.episodeId}` }],
    });
    const video = toEncounter({ ...facts, modality: 'video', episodeId: null });
    expectValid(video);
    expect(video.class.code).toBe('VR');
    expect(video.episodeOfCare).toBeUndefined();
  });

  it('a searchset Bundle and an OperationOutcome validate too', () => {
    const base = 'https://intake.example.org/fhir/r4';
    const bundle = searchset(base, `${base}/Consent?patient=${CLIENT}`, [toConsent(consentFacts, NOW)]);
    expectValid(bundle);
    expect(bundle).toMatchObject({ type: 'searchset', total: 1 });
    expect(bundle.entry?.[0]?.fullUrl).toBe(`${base}/Consent/${consentFacts.consentId}`);
    expectValid(searchset(base, `${base}/Consent?patient=${CLIENT}`, []));
    const outcome = operationOutcome('forbidden', 'No consent covers this', 'no-consent');
    expectValid(outcome);
  });
});
