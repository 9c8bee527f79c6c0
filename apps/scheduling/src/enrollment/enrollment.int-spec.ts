import { randomUUID } from 'node:crypto';
import { type EncodeOptions, type EventPayload, encodeEvent } from '@stepwise/contracts';
import {
  type ServiceApp,
  describeBadInput,
  expectProblem,
  http,
  waitFor,
  startServiceApp,
  testTokens,
} from '@stepwise/testing';
import {
  count,
  countWrites,
  outboxEvents,
  schedulingFixture,
  settleHorizon,
} from '../testing/scheduling-fixture';

const { adminToken, createSite, createStaff, createTrack, startScheduling } = schedulingFixture({
  startServiceApp,
  http,
  testTokens,
});

/*
 * Rolling admission on the running service: ClientAdmitted / LevelOfCareChanged / ClientDischarged produced
 * to the intake topic, consumed, and their effects read from the database and the outbox. Dates are in
 * March 2027 (America/New_York changes to daylight time on Sunday 14 March), ahead of the service's clock
 * (fixed at 3 December 2026, whatever day the suite runs), so the admission's own four weeks are generated at
 * once.
 */

const SITE = randomUUID();
const ABSENT_TRACK = randomUUID();
const ABSENT_STAFF = randomUUID();
let app: ServiceApp;
let token: string;
let counselor: string;
let facilitator: string;
let track: string;
let otherTrack: string;
let monday: string;
let wednesday: string;

async function series(body: Record<string, unknown>): Promise<string> {
  const result = await http<{ id: string }>(`${app.url}/v1/sites/${SITE}/group-series`, {
    token,
    json: {
      sessionType: 'process-group',
      weekday: 'monday',
      start: '18:00',
      minutes: 180,
      facilitatorId: facilitator,
      capacity: 2,
      startsOn: '2027-03-01',
      ...body,
    },
  });
  if (result.status !== 201) throw new Error(`series: ${result.status} ${result.text}`);
  return result.body.id;
}

beforeAll(async () => {
  app = await startScheduling('sched_enrollment', '2026-12-03T15:00:00.000Z');
  token = await adminToken([SITE]);
  await createSite(app, token, SITE, { closures: ['2027-03-22'] });
  counselor = await createStaff(app, token, SITE);
  facilitator = await createStaff(app, token, SITE);
  track = await createTrack(app, token, SITE);
  otherTrack = await createTrack(app, token, SITE, {
    name: 'Adult PHP',
    levelOfCare: '2.5',
    weeklyPattern: [{ weekday: 'tuesday', start: '09:00', minutes: 240, sessionType: 'skills-development' }],
  });
  monday = await series({ programTrackId: track, room: 'Room 1' });
  wednesday = await series({
    programTrackId: track,
    weekday: 'wednesday',
    sessionType: 'relapse-prevention',
    videoLink: 'https://video.example/wed',
  });
  await series({
    programTrackId: otherTrack,
    weekday: 'tuesday',
    start: '09:00',
    minutes: 240,
    room: 'Room 2',
    sessionType: 'skills-development',
  });
}, 120_000);

afterAll(async () => {
  await app?.close();
});

interface Client {
  clientId: string;
  episodeId: string;
}

const newClient = (): Client => ({ clientId: randomUUID(), episodeId: randomUUID() });

async function send<T extends 'ClientAdmitted' | 'LevelOfCareChanged' | 'ClientDischarged'>(
  type: T,
  payload: EventPayload<T>,
  options: EncodeOptions = {},
): Promise<string> {
  const [message] = await app.publish(encodeEvent(type, payload, options));
  const id = message?.headers['ce_id'] ?? '';
  await waitFor(
    `${type} ${id} to be applied`,
    () => count(app, 'inbox', `event_id = '${id}'`),
    (n) => n === 1,
    30_000,
  );
  return id;
}

function admit(client: Client, options: EncodeOptions = {}): Promise<string> {
  return send(
    'ClientAdmitted',
    {
      ...client,
      siteId: SITE,
      programTrackId: track,
      levelOfCare: '2.1',
      population: 'adult',
      admittedAt: '2027-03-02T15:00:00Z',
      primaryCounselorId: counselor,
    } as EventPayload<'ClientAdmitted'>,
    options,
  );
}

async function appointmentsOf(
  client: Client,
  status = 'scheduled',
): Promise<{ starts_at: Date; series_id: string; kind: string }[]> {
  return app.dataSource.query(
    `SELECT a.starts_at, o.series_id, o.kind FROM scheduling.appointments a
       JOIN scheduling.occurrences o ON o.id = a.occurrence_id
      WHERE a.client_id = $1 AND a.status = $2 ORDER BY a.starts_at`,
    [client.clientId, status],
  );
}

const eventsFor = async (client: Client, type: string): Promise<Record<string, unknown>[]> =>
  (await outboxEvents(app, type)).filter((e) => e.key === client.clientId).map((e) => e.payload);

const first = newClient();
const second = newClient();
const third = newClient();

describe('rolling admission', () => {
  it('enrolls from the admission date, in the site zone across the March change, skipping the closure', async () => {
    await admit(first);
    const enrolled = await eventsFor(first, 'ClientEnrolled');
    expect(enrolled).toEqual([
      expect.objectContaining({ programTrackId: track, startsOn: '2027-03-02', plannedWeeklyMinutes: 420 }),
    ]);
    const mondays = (await appointmentsOf(first)).filter((a) => a.series_id === monday);
    // 6 pm local: 23:00Z in standard time, 22:00Z from 14 March; 22 March is a closure.
    expect(mondays.map((a) => a.starts_at.toISOString())).toEqual([
      '2027-03-08T23:00:00.000Z',
      '2027-03-15T22:00:00.000Z',
      '2027-03-29T22:00:00.000Z',
    ]);
    const scheduled = await eventsFor(first, 'AppointmentScheduled');
    expect(scheduled).toHaveLength((await appointmentsOf(first)).length);
    expect(scheduled[0]).toMatchObject({
      clientId: first.clientId,
      siteId: SITE,
      kind: 'group',
      modality: 'telehealth',
    });
    const individual = (await appointmentsOf(first)).filter((a) => a.kind === 'individual');
    expect(individual.map((a) => a.starts_at.toISOString())).toEqual([
      '2027-03-04T22:00:00.000Z',
      '2027-03-11T22:00:00.000Z',
      '2027-03-18T21:00:00.000Z',
      '2027-03-25T21:00:00.000Z',
    ]);
  });

  it('flags each full planned week below the 2.1 adult minimum (7 h planned < 9 h; 4 h in the closure week)', async () => {
    const flags = await eventsFor(first, 'ScheduleBelowLevelMinimum');
    expect(flags).toEqual([
      expect.objectContaining({
        weekStart: '2027-03-08',
        plannedMinutes: 420,
        requiredMinutes: 540,
        levelOfCare: '2.1',
      }),
      expect.objectContaining({ weekStart: '2027-03-15', plannedMinutes: 420, requiredMinutes: 540 }),
      expect.objectContaining({ weekStart: '2027-03-22', plannedMinutes: 240, requiredMinutes: 540 }),
    ]);
  });

  it('creates nothing twice when ClientAdmitted is redelivered, or sent again with a new event id', async () => {
    await settleHorizon(app, SITE);
    const before = { appointments: await count(app, 'appointments'), outbox: await count(app, 'outbox') };
    await admit(first);
    expect(await count(app, 'enrollments', `episode_id = '${first.episodeId}'`)).toBe(1);
    expect({ appointments: await count(app, 'appointments'), outbox: await count(app, 'outbox') }).toEqual(
      before,
    );
  });

  it('puts the client after a full series on its waitlist, and promotes the first waiting client when a seat frees', async () => {
    await admit(second);
    await admit(third);
    const waitlisted = await eventsFor(third, 'ClientWaitlisted');
    expect(waitlisted.map((w) => [w['groupSeriesId'], w['position']]).sort()).toEqual(
      [
        [monday, 1],
        [wednesday, 1],
      ].sort(),
    );
    expect((await appointmentsOf(third)).filter((a) => a.kind === 'group')).toEqual([]);
    const capacity = await http<{ seated: number; available: number; waitlist: { clientId: string }[] }>(
      `${app.url}/v1/group-series/${monday}/capacity`,
      { token },
    );
    expect(capacity.body).toMatchObject({
      seated: 2,
      available: 0,
      waitlist: [{ clientId: third.clientId, position: 1 }],
    });

    await send('ClientDischarged', {
      ...first,
      siteId: SITE,
      dischargedAt: '2027-03-10T12:00:00Z',
      reason: 'completed',
      referredTo: [],
    } as EventPayload<'ClientDischarged'>);

    const cancelled = await eventsFor(first, 'AppointmentCancelled');
    expect(cancelled.length).toBeGreaterThan(0);
    expect(cancelled.every((c) => c['reason'] === 'client-discharged')).toBe(true);
    const remaining = await appointmentsOf(first);
    expect(remaining.every((a) => a.starts_at < new Date('2027-03-10T12:00:00Z'))).toBe(true);
    const promoted = (await appointmentsOf(third)).filter((a) => a.series_id === monday);
    expect(promoted.map((a) => a.starts_at.toISOString())).toEqual([
      '2027-03-08T23:00:00.000Z',
      '2027-03-15T22:00:00.000Z',
      '2027-03-29T22:00:00.000Z',
    ]);
    const after = await http<{ seated: number; waitlist: unknown[] }>(
      `${app.url}/v1/group-series/${monday}/capacity`,
      {
        token,
      },
    );
    expect(after.body).toMatchObject({ seated: 2, waitlist: [] });
  });

  it('moves a client to the new track on LevelOfCareChanged, once', async () => {
    const change = {
      ...second,
      siteId: SITE,
      kind: 'clinical',
      fromLevel: '2.1',
      toLevel: '2.5',
      newProgramTrackId: otherTrack,
      effectiveAt: '2027-03-12T12:00:00Z',
      reasonCode: 'step-up',
      decidedBy: counselor,
    } as unknown as EventPayload<'LevelOfCareChanged'>;
    await send('LevelOfCareChanged', change);
    const cancelled = await eventsFor(second, 'AppointmentCancelled');
    expect(cancelled.length).toBeGreaterThan(0);
    expect(cancelled.every((c) => c['reason'] === 'level-of-care-changed')).toBe(true);
    const now = await appointmentsOf(second);
    expect(
      now.filter((a) => a.starts_at >= new Date('2027-03-12T12:00:00Z')).every((a) => a.kind === 'group'),
    ).toBe(true);
    const tuesdays = now.filter((a) => a.starts_at >= new Date('2027-03-12T12:00:00Z'));
    expect(tuesdays.map((a) => a.starts_at.toISOString())).toEqual([
      '2027-03-16T13:00:00.000Z',
      '2027-03-23T13:00:00.000Z',
      '2027-03-30T13:00:00.000Z',
      '2027-04-06T13:00:00.000Z',
    ]);
    const enrolled = await eventsFor(second, 'ClientEnrolled');
    expect(enrolled.map((e) => e['programTrackId'])).toEqual([track, otherTrack]);

    // The move generated the site's series to its own horizon: the job would book the seats of the new
    // occurrences (the promoted client's) whenever it runs, so it is run before counting.
    await settleHorizon(app, SITE);
    const before = { appointments: await count(app, 'appointments'), outbox: await count(app, 'outbox') };
    await send('LevelOfCareChanged', change);
    expect({ appointments: await count(app, 'appointments'), outbox: await count(app, 'outbox') }).toEqual(
      before,
    );
  });
});

describe('group series', () => {
  it('refuses to double-book a facilitator or a room on a weekly slot with 409', async () => {
    const body = {
      programTrackId: track,
      sessionType: 'psychoeducation',
      weekday: 'monday',
      start: '19:00',
      minutes: 60,
      capacity: 10,
      startsOn: '2027-03-01',
    };
    const other = await createStaff(app, token, SITE);
    const sameFacilitator = await http(`${app.url}/v1/sites/${SITE}/group-series`, {
      token,
      json: { ...body, facilitatorId: facilitator, room: 'Room 9' },
    });
    expectProblem(sameFacilitator, 409, 'schedule-conflict');
    const sameRoom = await http(`${app.url}/v1/sites/${SITE}/group-series`, {
      token,
      json: { ...body, facilitatorId: other, room: 'Room 1' },
    });
    expectProblem(sameRoom, 409, 'schedule-conflict');
    const backToBack = await http(`${app.url}/v1/sites/${SITE}/group-series`, {
      token,
      json: { ...body, start: '21:00', facilitatorId: facilitator, room: 'Room 1' },
    });
    expect(backToBack.status).toBe(201);
  });
});

describe('group series input', () => {
  // Each case counts every row written around its request: the horizon job must not write in between.
  beforeAll(() => settleHorizon(app, SITE));
  // Validation runs before any lookup, so ids that exist nowhere serve: every case must fail on its input.
  const validSeries = (): Record<string, unknown> => ({
    programTrackId: ABSENT_TRACK,
    sessionType: 'mindfulness',
    weekday: 'saturday',
    start: '10:00',
    minutes: 60,
    facilitatorId: ABSENT_STAFF,
    room: 'Room 5',
    capacity: 12,
    startsOn: '2027-03-06',
  });
  describeBadInput(
    {
      method: 'POST',
      path: `/v1/sites/${SITE}/group-series`,
      validBody: validSeries(),
      optional: ['room'],
      enums: ['sessionType', 'weekday'],
      extraCases: [
        { name: 'an impossible start date', json: { ...validSeries(), startsOn: '2027-02-29' }, status: 400 },
        { name: 'an impossible time', json: { ...validSeries(), start: '24:30' }, status: 400 },
        { name: 'a capacity of 0', json: { ...validSeries(), capacity: 0 }, status: 400 },
        {
          name: 'both a room and a video link',
          json: { ...validSeries(), videoLink: 'https://v.example/x' },
          status: 422,
        },
        {
          name: 'a video link that is not https',
          json: { ...validSeries(), room: undefined, videoLink: 'ftp://x' },
          status: 400,
        },
      ],
    },
    () => ({ baseUrl: app.url, token, countWrites: () => countWrites(app) }),
  );
});
