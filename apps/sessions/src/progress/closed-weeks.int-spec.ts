import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  type EventPayload,
  type EventTypeName,
  CareRuleSetKind,
  LevelOfCare,
  LevelOfCareChangeKind,
  encodeEvent,
  examplePayload,
} from '@stepwise/contracts';
import { type ServiceApp, http, startServiceApp, testTokens, waitFor } from '@stepwise/testing';
import { type AnyCareEvent, Topics } from '@stepwise/contracts';
import { Clock } from '@stepwise/platform';
import { ILLUSTRATIVE_PROGRAM_POLICY } from '@stepwise/care-rules';
import { sessionsDefinition } from '../sessions.definition';
import { clientAdmitted, groupAppointment, siteUpserted } from '../testing/episode-events';
import { evaluationsDone } from '../testing/sessions-app';
import { WeekCloser } from './week-closer';

/*
 * A closed week is judged against the minimum of the level the client was at that week. A step-up (PHP:
 * 20 h) or a step-down (level 1: no minimum) later in the episode must not turn a full IOP week (9 h) short, or
 * a short one full, when a correction or the level change itself re-evaluates the episode.
 */

const SITE = randomUUID();
const NETWORK = randomUUID();
const COUNSELOR_ID = randomUUID();
// Chicago, Thursday 20 March 2025: the weeks of 3 and 10 March have closed; all dates below are explicit.
const NOW = new Date('2025-03-20T17:00:00.000Z');
let now = NOW;
// Monday, Tuesday and Thursday of the week of 3 March, 18:00 to 21:00 in Chicago (CST, UTC−6).
const SESSIONS = ['2025-03-04T00:00:00.000Z', '2025-03-05T00:00:00.000Z', '2025-03-07T00:00:00.000Z'];

let svc: ServiceApp;
let token: string;

const publish = <T extends EventTypeName>(type: T, payload: EventPayload<T>) =>
  svc.publish(encodeEvent(type, payload));

interface Client {
  readonly clientId: string;
  readonly episodeId: string;
  readonly sessions: readonly { appointmentId: string; occurrenceId: string }[];
}

async function admit(): Promise<Client> {
  const client: Client = {
    clientId: randomUUID(),
    episodeId: randomUUID(),
    sessions: SESSIONS.map(() => ({ appointmentId: randomUUID(), occurrenceId: randomUUID() })),
  };
  await svc.publish(clientAdmitted(client, SITE, COUNSELOR_ID, '2025-03-03T06:00:00.000Z'));
  for (const [i, session] of client.sessions.entries()) {
    const startsAt = SESSIONS[i] as string;
    const endsAt = new Date(Date.parse(startsAt) + 180 * 60_000).toISOString();
    await svc.publish(groupAppointment(client, session, SITE, COUNSELOR_ID, { startsAt, endsAt }));
  }
  await waitFor(
    'the appointments projected',
    () =>
      svc.dataSource.query<unknown[]>(`SELECT 1 FROM sessions.session_records WHERE episode_id = $1`, [
        client.episodeId,
      ]),
    (rows) => rows.length === SESSIONS.length,
  );
  return client;
}

async function attend(client: Client, index: number, entry: Record<string, unknown>): Promise<void> {
  const session = client.sessions[index] as Client['sessions'][number];
  const result = await http(`${svc.url}/v1/occurrences/${session.occurrenceId}/attendance`, {
    method: 'PUT',
    token,
    json: { entries: [{ appointmentId: session.appointmentId, ...entry }] },
  });
  expect(result.status).toBe(200);
  // The episode's weeks are judged after the request, as of the clock then.
  await evaluationsDone(svc);
}

async function changeLevel(client: Client, toLevel: LevelOfCare): Promise<void> {
  await publish('LevelOfCareChanged', {
    ...examplePayload('LevelOfCareChanged'),
    episodeId: client.episodeId,
    clientId: client.clientId,
    siteId: SITE,
    kind: LevelOfCareChangeKind.Clinical,
    fromLevel: LevelOfCare.IntensiveOutpatient,
    toLevel,
    effectiveAt: '2025-03-17T15:00:00.000Z',
  });
  await waitFor(
    'the level change projected and evaluated',
    () =>
      svc.dataSource.query<{ level_of_care: string }[]>(
        `SELECT level_of_care FROM sessions.episodes WHERE episode_id = $1`,
        [client.episodeId],
      ),
    (rows) => rows[0]?.level_of_care === toLevel,
  );
}

interface WeekRow {
  week_start: string;
  attended_minutes: number;
  required_minutes: number;
  level_of_care: string;
  short: boolean;
}

const weeksOf = (client: Client) =>
  svc.dataSource.query<WeekRow[]>(
    `SELECT to_char(week_start, 'YYYY-MM-DD') AS week_start, attended_minutes, required_minutes, level_of_care,
            short
       FROM sessions.closed_weeks WHERE episode_id = $1 ORDER BY week_start`,
    [client.episodeId],
  );

beforeAll(async () => {
  svc = await startServiceApp(sessionsDefinition, {
    label: 'sessions_closed_weeks',
    envExample: join(__dirname, '../../.env.example'),
    env: { WEEK_CLOSE_INTERVAL_MS: '0' },
  });
  jest.spyOn(svc.app.get(Clock), 'now').mockImplementation(() => now);
  token = await testTokens.valid({ roles: ['counselor'], sites: [SITE] });
  await svc.publish(siteUpserted(SITE, NETWORK));
  await waitFor(
    'the site',
    () => svc.dataSource.query<unknown[]>(`SELECT 1 FROM sessions.sites WHERE site_id = $1`, [SITE]),
    (rows) => rows.length === 1,
  );
}, 120_000);

afterAll(async () => {
  await svc?.close();
});

describe('closed weeks across a level change', () => {
  it('keeps a full IOP week full after a step-up to PHP, when a correction re-judges it', async () => {
    const client = await admit();
    for (const index of [0, 1, 2]) await attend(client, index, { status: 'present' });
    expect(await weeksOf(client)).toEqual([
      expect.objectContaining({ week_start: '2025-03-03', attended_minutes: 540, short: false }),
      expect.objectContaining({ week_start: '2025-03-10', attended_minutes: 0, short: true }),
    ]);

    await changeLevel(client, LevelOfCare.PartialHospitalization);
    // A late arrival recorded afterwards makes the week short of its own 540 minutes...
    await attend(client, 2, { status: 'late', minutesAttended: 120 });
    expect((await weeksOf(client))[0]).toMatchObject({ attended_minutes: 480, short: true });
    // ...and its correction back to the full session makes it whole again, not short of PHP's 1,200.
    await attend(client, 2, { status: 'present' });
    expect(await weeksOf(client)).toEqual([
      {
        week_start: '2025-03-03',
        attended_minutes: 540,
        required_minutes: 540,
        level_of_care: '2.1',
        short: false,
      },
      {
        week_start: '2025-03-10',
        attended_minutes: 0,
        required_minutes: 540,
        level_of_care: '2.1',
        short: true,
      },
    ]);
  });

  it('keeps a short IOP week short after a step-down to a level without a minimum', async () => {
    const client = await admit();
    await attend(client, 0, { status: 'present' });
    expect((await weeksOf(client))[0]).toMatchObject({ attended_minutes: 180, short: true });

    // The level change re-evaluates the episode (level 1 sets no weekly minimum).
    await changeLevel(client, LevelOfCare.Outpatient);
    await attend(client, 1, { status: 'absent', reasonCode: 'no-show' });
    for (const week of await weeksOf(client)) {
      expect(week).toMatchObject({ required_minutes: 540, level_of_care: '2.1', short: true });
      expect(week.attended_minutes).toBeLessThan(540);
    }
    // The counselor's progress summary shows each past week against the minimum it was judged by.
    const summary = await http<{ levelOfCare: string; weeks: unknown[] }>(
      `${svc.url}/v1/clients/${client.clientId}/progress`,
      { token },
    );
    expect(summary.status).toBe(200);
    expect(summary.body.levelOfCare).toBe('1');
    expect(summary.body.weeks).toEqual([
      { weekStart: '2025-03-03', attendedMinutes: 180, requiredMinutes: 540, closed: true, short: true },
      { weekStart: '2025-03-10', attendedMinutes: 0, requiredMinutes: 540, closed: true, short: true },
    ]);
  });
});

/*
 * Late documentation. The week of 3 March ends Monday 10 March 00:00 in Chicago (05:00 UTC) and closes 48 h
 * later, Wednesday 12 March 05:00 UTC. Attendance documented inside that grace counts before the week is
 * judged; documented after it, it recalculates the closed week and publishes the correction.
 */
describe('late documentation', () => {
  const TUESDAY_NOON = new Date('2025-03-11T17:00:00.000Z');
  const CLOSES = new Date('2025-03-12T05:00:00.000Z');
  const ofClient = (events: readonly AnyCareEvent[], type: string, client: Client) =>
    events.filter((e) => e.type === type && (e.data as { clientId: string }).clientId === client.clientId);

  afterEach(() => {
    now = NOW;
  });

  it('inside the grace period: counted before the week is judged, no shortfall', async () => {
    now = TUESDAY_NOON;
    const client = await admit();
    await attend(client, 0, { status: 'present' });
    await attend(client, 1, { status: 'present' });
    await svc.app.get(WeekCloser).closeDue();
    expect(await weeksOf(client)).toEqual([]);
    await attend(client, 2, { status: 'present' });
    now = new Date(CLOSES.getTime() - 1);
    await svc.app.get(WeekCloser).closeDue();
    expect(await weeksOf(client)).toEqual([]);
    now = CLOSES;
    await svc.app.get(WeekCloser).closeDue();
    expect(await weeksOf(client)).toEqual([
      expect.objectContaining({ week_start: '2025-03-03', attended_minutes: 540, short: false }),
    ]);
    const events = await svc.readEvents(Topics.SessionsEvents, (all) =>
      all.some((e) => e.type === 'SessionAttended' && e.data.clientId === client.clientId),
    );
    expect(ofClient(events, 'WeeklyHoursShortfall', client)).toEqual([]);
  });

  it('after the grace period: recalculates the closed week and says whether the shortfall still holds', async () => {
    now = TUESDAY_NOON;
    const client = await admit();
    await attend(client, 0, { status: 'present' });
    now = CLOSES;
    await svc.app.get(WeekCloser).closeDue();
    expect((await weeksOf(client))[0]).toMatchObject({ attended_minutes: 180, short: true });

    now = new Date('2025-03-13T15:00:00.000Z');
    await attend(client, 1, { status: 'present' });
    expect((await weeksOf(client))[0]).toMatchObject({ attended_minutes: 360, short: true });
    await attend(client, 2, { status: 'present' });
    expect((await weeksOf(client))[0]).toMatchObject({ attended_minutes: 540, short: false });

    const events = await svc.readEvents(
      Topics.SessionsEvents,
      (all) => ofClient(all, 'WeeklyHoursRecalculated', client).length === 2,
    );
    expect(ofClient(events, 'WeeklyHoursShortfall', client).map((e) => e.data)).toEqual([
      expect.objectContaining({ weekStart: '2025-03-03', attendedMinutes: 180, requiredMinutes: 540 }),
    ]);
    expect(ofClient(events, 'WeeklyHoursRecalculated', client).map((e) => e.data)).toEqual([
      expect.objectContaining({
        weekStart: '2025-03-03',
        attendedMinutesBefore: 180,
        attendedMinutes: 360,
        requiredMinutes: 540,
        shortBefore: true,
        short: true,
      }),
      expect.objectContaining({
        attendedMinutesBefore: 360,
        attendedMinutes: 540,
        shortBefore: true,
        short: false,
      }),
    ]);
    // Documenting the same again changes nothing and publishes nothing.
    await attend(client, 2, { status: 'present' });
    const [outbox] = await svc.dataSource.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM sessions.outbox WHERE type LIKE '%WeeklyHoursRecalculated%' AND aggregateid = $1`,
      [client.clientId],
    );
    expect(Number(outbox?.n)).toBe(2);
  });
  // Last in the file: from here on the loaded policy is in force for every week this service closes.
  it('under a program policy a network administrator loaded: its grace, and its version on the week', async () => {
    await publish('CareRuleSetLoaded', {
      recordId: randomUUID(),
      ruleSetId: 'acme-policy@1',
      code: 'acme-policy',
      version: 1,
      kind: CareRuleSetKind.ProgramPolicy,
      illustrative: false,
      programPolicy: { ...ILLUSTRATIVE_PROGRAM_POLICY.programPolicy, documentationGraceHours: 72 },
      loadedAt: '2025-03-01T12:00:00.000Z',
    });
    await waitFor(
      'the program policy',
      () => svc.dataSource.query<unknown[]>(`SELECT 1 FROM sessions.care_rule_sets`),
      (rows) => rows.length === 1,
    );
    now = TUESDAY_NOON;
    const client = await admit();
    await attend(client, 0, { status: 'present' });
    // 48 h after the week's end it stays open under the loaded 72 h; it closes at 72 h.
    now = CLOSES;
    await svc.app.get(WeekCloser).closeDue();
    expect(await weeksOf(client)).toEqual([]);
    await attend(client, 1, { status: 'present' });
    await attend(client, 2, { status: 'present' });
    now = new Date(CLOSES.getTime() + 24 * 3_600_000 - 1);
    await svc.app.get(WeekCloser).closeDue();
    expect(await weeksOf(client)).toEqual([]);
    now = new Date(CLOSES.getTime() + 24 * 3_600_000);
    await svc.app.get(WeekCloser).closeDue();
    expect(await weeksOf(client)).toEqual([
      expect.objectContaining({ week_start: '2025-03-03', attended_minutes: 540, short: false }),
    ]);
    const [week] = await svc.dataSource.query<{ program_policy_version: string }[]>(
      `SELECT program_policy_version FROM sessions.closed_weeks WHERE episode_id = $1`,
      [client.episodeId],
    );
    expect(week?.program_policy_version).toBe('acme-policy@1');
  });
});
