import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Topics, encodeEvent, examplePayload } from '@stepwise/contracts';
import { type ServiceApp, http, startServiceApp, testTokens, waitFor } from '@stepwise/testing';
import { Clock } from '@stepwise/platform';
import { sessionsDefinition } from '../sessions.definition';
import { clientAdmitted, groupAppointment, siteUpserted } from '../testing/episode-events';
import { WeekCloser } from './week-closer';

/*
 * A recommendation that falls due with the calendar alone. A steady client's last documented fact is on day
 * 38 of the episode (five whole weeks): no step-down yet, weeks in program say so. Nothing more is documented;
 * when the clock closes the week holding day 42, the episode is evaluated as of that Sunday and the step-down is
 * made, with its evidence, once.
 */

const SITE = randomUUID();
const NETWORK = randomUUID();
const COUNSELOR_ID = randomUUID();
const client = { clientId: randomUUID(), episodeId: randomUUID() };
// Admitted Monday 3 March 2025 (local midnight in Chicago); six weeks in on Monday 14 April.
const ADMITTED_AT = '2025-03-03T06:00:00.000Z';
// Group sessions Monday, Tuesday and Thursday at 18:00 in Chicago, from 3 March to Thursday 10 April (day 38).
const SESSION_DAYS = Array.from({ length: 6 }, (_, week) => [0, 1, 3].map((d) => week * 7 + d))
  .flat()
  .map((day) => new Date(Date.parse('2025-03-03T23:00:00.000Z') + day * 86_400_000));

let svc: ServiceApp;
let token: string;
let now = new Date('2025-04-11T15:00:00.000Z');

const recommendations = () =>
  svc.dataSource.query<{ direction: string; as_of: string }[]>(
    `SELECT direction, to_char(as_of, 'YYYY-MM-DD') AS as_of FROM sessions.recommendations
      WHERE episode_id = $1`,
    [client.episodeId],
  );

beforeAll(async () => {
  svc = await startServiceApp(sessionsDefinition, {
    label: 'sessions_week_close',
    envExample: join(__dirname, '../../.env.example'),
    env: { WEEK_CLOSE_INTERVAL_MS: '0' },
  });
  jest.spyOn(svc.app.get(Clock), 'now').mockImplementation(() => now);
  token = await testTokens.valid({ roles: ['counselor'], sites: [SITE] });
  await svc.publish(siteUpserted(SITE, NETWORK));
  await svc.publish(clientAdmitted(client, SITE, COUNSELOR_ID, ADMITTED_AT));
  await svc.publish(
    encodeEvent('AssessmentCompleted', {
      ...examplePayload('AssessmentCompleted'),
      assessmentId: randomUUID(),
      clientId: client.clientId,
      siteId: SITE,
      dimensionRatings: [1, 0, 2, 2, 2, 2],
      assessedAt: '2025-03-03T16:00:00.000Z',
    }),
  );
  const sessions = SESSION_DAYS.map(() => ({ appointmentId: randomUUID(), occurrenceId: randomUUID() }));
  for (const [i, session] of sessions.entries()) {
    const startsAt = (SESSION_DAYS[i] as Date).toISOString();
    const endsAt = new Date(Date.parse(startsAt) + 180 * 60_000).toISOString();
    await svc.publish(groupAppointment(client, session, SITE, COUNSELOR_ID, { startsAt, endsAt }));
  }
  await waitFor(
    'the episode, its assessment and its appointments',
    () =>
      svc.dataSource.query<{ n: string }[]>(
        `SELECT (SELECT count(*) FROM sessions.session_records WHERE episode_id = $1)
              + (SELECT count(*) FROM sessions.assessments WHERE client_id = $2) AS n`,
        [client.episodeId, client.clientId],
      ),
    (rows) => Number(rows[0]?.n) === sessions.length + 1,
    60_000,
  );
  for (const session of sessions) {
    const attended = await http(`${svc.url}/v1/occurrences/${session.occurrenceId}/attendance`, {
      method: 'PUT',
      token,
      json: { entries: [{ appointmentId: session.appointmentId, status: 'present' }] },
    });
    expect(attended.status).toBe(200);
  }
  for (const collectedAt of ['2025-03-24T22:30:00Z', '2025-03-31T22:30:00Z', '2025-04-07T22:30:00Z']) {
    const screened = await http(`${svc.url}/v1/drug-screens`, {
      token,
      headers: { 'Idempotency-Key': randomUUID() },
      json: {
        episodeId: client.episodeId,
        collectedAt,
        resultedAt: new Date(Date.parse(collectedAt) + 15 * 60_000).toISOString(),
        result: 'negative',
        substanceCodes: [],
      },
    });
    expect(screened.status).toBe(201);
  }
  await svc.publish(
    encodeEvent('TreatmentPlanReviewed', {
      ...examplePayload('TreatmentPlanReviewed'),
      planId: randomUUID(),
      episodeId: client.episodeId,
      clientId: client.clientId,
      siteId: SITE,
      goalsMet: 5,
      goalsTotal: 5,
      reviewedAt: '2025-04-07T22:00:00.000Z',
    }),
  );
  await waitFor(
    'the plan review',
    () =>
      svc.dataSource.query<unknown[]>(`SELECT 1 FROM sessions.plan_reviews WHERE episode_id = $1`, [
        client.episodeId,
      ]),
    (rows) => rows.length === 1,
  );
}, 180_000);

afterAll(async () => {
  await svc?.close();
});

describe('a step-down that falls due when a week closes', () => {
  it('is not made while the weeks in program fall short, whatever else the facts show', async () => {
    await svc.app.get(WeekCloser).closeDue();
    expect(await recommendations()).toEqual([]);
  });

  it('is made once the clock closes the week reaching six weeks, as of its Sunday, with no new fact', async () => {
    now = new Date('2025-04-23T15:00:00.000Z'); // Wednesday: the week of 14 April and its 48 h grace have passed
    await svc.app.get(WeekCloser).closeDue();
    await svc.app.get(WeekCloser).closeDue();
    expect(await recommendations()).toEqual([{ direction: 'step-down', as_of: '2025-04-20' }]);
    const events = await svc.readEvents(Topics.SessionsEvents, (all) =>
      all.some((e) => e.type === 'StepDownRecommended' && e.data.episodeId === client.episodeId),
    );
    const made = events.filter(
      (e) => e.type === 'StepDownRecommended' && e.data.episodeId === client.episodeId,
    );
    expect(made).toHaveLength(1);
    expect(made[0]?.data).toMatchObject({
      fromLevel: '2.1',
      toLevel: '1',
      evidence: expect.objectContaining({
        weeksInProgram: 6,
        attendanceRate: 1,
        consecutiveNegativeScreens: 3,
        goalsMet: 5,
      }),
    });
  });
});
