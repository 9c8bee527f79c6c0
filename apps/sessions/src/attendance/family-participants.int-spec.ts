import { randomUUID } from 'node:crypto';
import {
  AppointmentKind,
  ConsentPurpose,
  InformationCategory,
  Modality,
  RecipientKind,
  SessionType,
  encodeEvent,
  examplePayload,
} from '@stepwise/contracts';
import { expectProblem, http, waitFor } from '@stepwise/testing';
import { COUNSELOR_ID, SESSION_ENDS, SESSION_STARTS, aSeat, useSessions } from '../testing/sessions-app';
import { clientAdmitted } from '../testing/episode-events';

/*
 * Family sessions record the client's consented family members present or absent (ids from intake's
 * consents), apart from the client's own attendance: the client's minutes and weeks are never touched.
 */

const sessions = useSessions('sessions_family');

const familyConsent = (clientId: string, familyMemberId: string, purposes: ConsentPurpose[]) =>
  encodeEvent('ConsentGranted', {
    ...examplePayload('ConsentGranted'),
    consentId: randomUUID(),
    clientId,
    recipient: { kind: RecipientKind.FamilyMember, id: familyMemberId },
    purposes,
    informationCategories: [InformationCategory.Attendance],
    grantedAt: '2025-03-01T12:00:00.000Z',
    expiresAt: '2026-03-01T12:00:00.000Z',
  });

describe('family participants of a family session', () => {
  it("records consented family members present or absent, counted apart from the client's hours", async () => {
    const s = sessions();
    const site = await s.site();
    const token = await s.counselor(site);
    const client = aSeat();
    const [mother, partner, neighbour] = [randomUUID(), randomUUID(), randomUUID()];
    await s.svc.publish(clientAdmitted(client, site, COUNSELOR_ID, '2025-03-03T15:00:00.000Z'));
    const occurrenceId = randomUUID();
    await s.publish('AppointmentScheduled', {
      clientId: client.clientId,
      episodeId: client.episodeId,
      appointmentId: client.appointmentId,
      occurrenceId,
      startsAt: SESSION_STARTS,
      endsAt: SESSION_ENDS,
      kind: AppointmentKind.Family,
      sessionType: SessionType.FamilyTherapy,
      siteId: site,
      modality: Modality.InPerson,
      facilitatorId: COUNSELOR_ID,
    });
    await s.svc.publish(familyConsent(client.clientId, mother, [ConsentPurpose.FamilyInvolvement]));
    await s.svc.publish(familyConsent(client.clientId, partner, [ConsentPurpose.FamilyInvolvement]));
    // A consent for payment only does not let a family member be recorded at sessions.
    await s.svc.publish(familyConsent(client.clientId, neighbour, [ConsentPurpose.Payment]));
    await waitFor(
      'the family session and the consents',
      () =>
        s.count(
          `(SELECT appointment_id FROM sessions.session_records WHERE appointment_id = $1 AND kind = 'family'
             UNION ALL SELECT consent_id FROM sessions.family_consents WHERE client_id = $2) x`,
          [client.appointmentId, client.clientId],
        ),
      (n) => n === 3,
    );
    const path = `${s.svc.url}/v1/appointments/${client.appointmentId}/family-participants`;

    const refused = await http(path, {
      method: 'PUT',
      token,
      json: {
        participants: [
          { familyMemberId: mother, status: 'present' },
          { familyMemberId: neighbour, status: 'present' },
        ],
      },
    });
    expectProblem(refused, 422, 'unprocessable');
    expect((refused.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([
      'participants.1.familyMemberId',
    ]);

    const recorded = await http<{ present: number; absent: number }>(path, {
      method: 'PUT',
      token,
      json: {
        participants: [
          { familyMemberId: mother, status: 'present' },
          { familyMemberId: partner, status: 'absent' },
        ],
      },
    });
    expect(recorded.status).toBe(200);
    expect(recorded.body).toMatchObject({ present: 1, absent: 1 });
    const events = await s.svc.readEvents('sessions.events.v1', (all) =>
      all.some(
        (e) => e.type === 'FamilyParticipationRecorded' && e.data.appointmentId === client.appointmentId,
      ),
    );
    expect(
      events.find(
        (e) => e.type === 'FamilyParticipationRecorded' && e.data.appointmentId === client.appointmentId,
      )?.data,
    ).toMatchObject({
      sessionDate: '2025-03-09',
      participants: expect.arrayContaining([{ familyMemberId: mother, status: 'present' }]),
    });
    // The client's own attendance is a separate record: none yet, whatever the family did.
    expect(await s.count('sessions.attendance WHERE appointment_id = $1', [client.appointmentId])).toBe(0);
    const ownAttendance = await http(`${s.svc.url}/v1/occurrences/${occurrenceId}/attendance`, {
      method: 'PUT',
      token,
      json: { entries: [{ appointmentId: client.appointmentId, status: 'present' }] },
    });
    expect(ownAttendance.status).toBe(200);
    const [minutes] = await s.svc.dataSource.query<{ minutes_attended: number }[]>(
      `SELECT minutes_attended FROM sessions.attendance WHERE appointment_id = $1`,
      [client.appointmentId],
    );
    expect(minutes?.minutes_attended).toBe(180);
  });

  it('is refused at a group session (422) and for another site (404)', async () => {
    const s = sessions();
    const site = await s.site();
    const client = aSeat();
    await s.admit(client, site, randomUUID());
    await waitFor(
      'the group session',
      () => s.count('sessions.session_records WHERE appointment_id = $1', [client.appointmentId]),
      (n) => n === 1,
    );
    const path = `${s.svc.url}/v1/appointments/${client.appointmentId}/family-participants`;
    const body = { participants: [] };
    expectProblem(await http(path, { method: 'PUT', token: await s.counselor(site), json: body }), 422);
    expectProblem(
      await http(path, { method: 'PUT', token: await s.counselor(randomUUID()), json: body }),
      404,
      'not-found',
    );
  });
});
