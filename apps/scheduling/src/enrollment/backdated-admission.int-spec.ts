import { randomUUID } from 'node:crypto';
import { type EventPayload, encodeEvent } from '@stepwise/contracts';
import { type ServiceApp, http, waitFor, startServiceApp, testTokens } from '@stepwise/testing';
import { schedulingFixture, count, outboxEvents } from '../testing/scheduling-fixture';

const { adminToken, createSite, createStaff, createTrack, startScheduling } = schedulingFixture({
  startServiceApp,
  http,
  testTokens,
});

/*
 * An admission recorded after the client started (intake entering a backlog, or a program moving onto
 * Stepwise): the client gets the appointments they had since the admission date, so attendance can be
 * recorded against them, and nothing before it. The service's clock is fixed at Wednesday 20 January 2027,
 * 11:00 in Chicago: the dates below mean the same whatever day the suite runs.
 */

const NOW = '2027-01-20T17:00:00.000Z';
const SITE = randomUUID();
let app: ServiceApp;
let track: string;
let counselor: string;

beforeAll(async () => {
  app = await startScheduling('sched_backdated', NOW);
  const token = await adminToken([SITE]);
  await createSite(app, token, SITE, { timeZone: 'America/Chicago', closures: [] });
  counselor = await createStaff(app, token, SITE);
  const facilitator = await createStaff(app, token, SITE);
  track = await createTrack(app, token, SITE, {
    weeklyPattern: [{ weekday: 'monday', start: '18:00', minutes: 180, sessionType: 'process-group' }],
  });
  const series = await http(`${app.url}/v1/sites/${SITE}/group-series`, {
    token,
    json: {
      programTrackId: track,
      sessionType: 'process-group',
      weekday: 'monday',
      start: '18:00',
      minutes: 180,
      facilitatorId: facilitator,
      room: 'Room 1',
      capacity: 10,
      startsOn: '2026-11-11',
    },
  });
  expect(series.status).toBe(201);
}, 120_000);

afterAll(async () => {
  await app?.close();
});

it('gives a backdated admission its past group sessions from the admission date on, announced once', async () => {
  const clientId = randomUUID();
  // Five weeks before the clock: Wednesday 16 December 2026.
  const admittedOn = '2026-12-16';
  const [message] = await app.publish(
    encodeEvent('ClientAdmitted', {
      clientId,
      episodeId: randomUUID(),
      siteId: SITE,
      programTrackId: track,
      levelOfCare: '2.1',
      population: 'adult',
      admittedAt: `${admittedOn}T15:00:00Z`,
      primaryCounselorId: counselor,
    } as EventPayload<'ClientAdmitted'>),
  );
  await waitFor(
    'the admission applied',
    () => count(app, 'inbox', `event_id = '${message?.headers['ce_id'] ?? ''}'`),
    (n) => n === 1,
    30_000,
  );
  const groups = await app.dataSource.query<{ starts_at: Date }[]>(
    `SELECT a.starts_at FROM scheduling.appointments a JOIN scheduling.occurrences o ON o.id = a.occurrence_id
      WHERE a.client_id = $1 AND o.kind = 'group' ORDER BY a.starts_at`,
    [clientId],
  );
  const past = groups.filter((g) => g.starts_at.getTime() < Date.parse(NOW));
  // The five Mondays since the admission, at 18:00 in Chicago, and none earlier.
  expect(past.map((g) => g.starts_at.toISOString())).toEqual([
    '2026-12-22T00:00:00.000Z',
    '2026-12-29T00:00:00.000Z',
    '2027-01-05T00:00:00.000Z',
    '2027-01-12T00:00:00.000Z',
    '2027-01-19T00:00:00.000Z',
  ]);
  expect(Math.min(...groups.map((g) => g.starts_at.getTime()))).toBeGreaterThanOrEqual(
    Date.parse(`${admittedOn}T00:00:00Z`),
  );
  // And the rolling four weeks ahead, as for any admission.
  expect(groups.filter((g) => g.starts_at.getTime() > Date.parse(NOW)).length).toBeGreaterThanOrEqual(4);
  const scheduled = (await outboxEvents(app, 'AppointmentScheduled')).filter((e) => e.key === clientId);
  const groupEvents = scheduled.filter((e) => e.payload['kind'] === 'group');
  expect(groupEvents).toHaveLength(groups.length);
  expect(new Set(groupEvents.map((e) => e.payload['appointmentId'])).size).toBe(groups.length);
}, 60_000);
