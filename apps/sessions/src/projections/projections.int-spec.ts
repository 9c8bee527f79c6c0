import { randomUUID } from 'node:crypto';
import { LevelOfCare, LevelOfCareChangeKind, examplePayload } from '@stepwise/contracts';
import { expectProblem, http, waitFor } from '@stepwise/testing';
import { COUNSELOR_ID, aSeat, useSessions } from '../testing/sessions-app';

const sessions = useSessions('sessions_projections');

describe('projections of the other services facts', () => {
  it('follows reschedules, cancellations, plan reviews, level changes and discharge', async () => {
    const s = sessions();
    const SITE = await s.site();
    const token = await s.counselor(SITE);
    const client = aSeat();
    const occurrenceId = randomUUID();
    await s.admit(client, SITE, occurrenceId);
    await s.publish('AppointmentRescheduled', {
      appointmentId: client.appointmentId,
      clientId: client.clientId,
      episodeId: client.episodeId,
      siteId: SITE,
      occurrenceId,
      startsAt: '2025-03-09T15:00:00.000Z',
      endsAt: '2025-03-09T16:00:00.000Z',
      reason: examplePayload('AppointmentRescheduled').reason,
    });
    await s.publish('AppointmentCancelled', {
      appointmentId: client.appointmentId,
      clientId: client.clientId,
      episodeId: client.episodeId,
      siteId: SITE,
      reason: examplePayload('AppointmentCancelled').reason,
      cancelledAt: '2025-03-08T12:00:00.000Z',
    });
    await s.publish('TreatmentPlanReviewed', {
      planId: randomUUID(),
      episodeId: client.episodeId,
      clientId: client.clientId,
      siteId: SITE,
      version: 1,
      goalsMet: 4,
      goalsTotal: 5,
      reviewedAt: '2025-03-08T12:00:00.000Z',
      reviewedBy: COUNSELOR_ID,
    });
    await s.publish('LevelOfCareChanged', {
      ...examplePayload('LevelOfCareChanged'),
      episodeId: client.episodeId,
      clientId: client.clientId,
      siteId: SITE,
      kind: LevelOfCareChangeKind.Clinical,
      fromLevel: LevelOfCare.IntensiveOutpatient,
      toLevel: LevelOfCare.PartialHospitalization,
      effectiveAt: '2025-03-09T12:00:00.000Z',
    });
    await s.publish('ClientDischarged', {
      ...examplePayload('ClientDischarged'),
      episodeId: client.episodeId,
      clientId: client.clientId,
      siteId: SITE,
      dischargedAt: '2025-03-09T18:00:00.000Z',
    });
    const episode = await waitFor(
      'the episode discharged',
      () =>
        s.svc.dataSource.query<{ level_of_care: string; discharged_at: Date | null }[]>(
          `SELECT level_of_care, discharged_at FROM sessions.episodes WHERE episode_id = $1`,
          [client.episodeId],
        ),
      (rows) => rows[0]?.discharged_at != null,
    );
    expect(episode[0]?.level_of_care).toBe('2.5');
    const [record] = await s.svc.dataSource.query<{ starts_at: Date; cancelled_at: Date | null }[]>(
      `SELECT starts_at, cancelled_at FROM sessions.session_records WHERE appointment_id = $1`,
      [client.appointmentId],
    );
    expect(record?.starts_at.toISOString()).toBe('2025-03-09T15:00:00.000Z');
    expect(record?.cancelled_at).not.toBeNull();
    expect(await s.count('sessions.plan_reviews WHERE episode_id = $1', [client.episodeId])).toBe(1);
    const refused = await http(`${s.svc.url}/v1/occurrences/${occurrenceId}/attendance`, {
      method: 'PUT',
      token,
      json: { entries: [{ appointmentId: client.appointmentId, status: 'present' }] },
    });
    expectProblem(refused, 422, 'unprocessable');
  });
});
