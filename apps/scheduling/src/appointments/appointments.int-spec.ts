import { randomUUID } from 'node:crypto';
import {
  type ServiceApp,
  describeBadInput,
  expectProblem,
  http,
  testTokens,
  startServiceApp,
} from '@stepwise/testing';
import { schedulingFixture, NETWORK, countWrites, outboxEvents } from '../testing/scheduling-fixture';

const { adminToken, createSite, createStaff, startScheduling } = schedulingFixture({
  startServiceApp,
  http,
  testTokens,
});

const SITE = randomUUID();
const OTHER_SITE = randomUUID();
const ABSENT = randomUUID();
let app: ServiceApp;
let token: string;
let rivera: string;
let chen: string;

beforeAll(async () => {
  // The bookings below are in April 2027: ahead of the service's clock, fixed whatever day the suite runs.
  app = await startScheduling('sched_appointments', '2026-12-03T15:00:00.000Z');
  token = await adminToken([SITE]);
  await createSite(app, token, SITE);
  rivera = await createStaff(app, token, SITE);
  chen = await createStaff(app, token, SITE);
}, 120_000);

afterAll(async () => {
  await app?.close();
});

const booking = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  clientId: randomUUID(),
  episodeId: randomUUID(),
  kind: 'individual',
  sessionType: 'individual-counseling',
  facilitatorId: rivera,
  room: 'Room 3',
  startsAt: '2027-04-06T15:00:00-04:00',
  endsAt: '2027-04-06T16:00:00-04:00',
  ...overrides,
});

interface Appointment {
  id: string;
  occurrenceId: string;
  clientId: string;
  startsAt: string;
  status: string;
}

async function book(body: Record<string, unknown>): Promise<Appointment> {
  const result = await http<Appointment>(`${app.url}/v1/sites/${SITE}/appointments`, { token, json: body });
  expect(result.status).toBe(201);
  return result.body;
}

describe('individual and family appointments', () => {
  it('books a session and announces it; a facilitator or room already booked answers 409', async () => {
    const first = await book(booking());
    expect(first).toMatchObject({ startsAt: '2027-04-06T19:00:00.000Z', status: 'scheduled' });
    const [event] = (await outboxEvents(app, 'AppointmentScheduled')).filter(
      (e) => e.payload['appointmentId'] === first.id,
    );
    expect(event?.payload).toMatchObject({
      kind: 'individual',
      facilitatorId: rivera,
      modality: 'in-person',
      siteId: SITE,
    });

    const before = await countWrites(app);
    const sameFacilitator = await http(`${app.url}/v1/sites/${SITE}/appointments`, {
      token,
      json: booking({
        room: 'Room 4',
        startsAt: '2027-04-06T15:30:00-04:00',
        endsAt: '2027-04-06T16:30:00-04:00',
      }),
    });
    expectProblem(sameFacilitator, 409, 'schedule-conflict');
    const sameRoom = await http(`${app.url}/v1/sites/${SITE}/appointments`, {
      token,
      json: booking({ facilitatorId: chen, kind: 'family', sessionType: 'family-therapy' }),
    });
    expectProblem(sameRoom, 409, 'schedule-conflict');
    expect(await countWrites(app)).toBe(before);

    await book(booking({ startsAt: '2027-04-06T16:00:00-04:00', endsAt: '2027-04-06T17:00:00-04:00' }));
  });

  it('reschedules with a reason code (and not onto a busy slot), and cancels once', async () => {
    const moving = await book(
      booking({ startsAt: '2027-04-07T10:00:00-04:00', endsAt: '2027-04-07T11:00:00-04:00' }),
    );
    await book(booking({ startsAt: '2027-04-07T12:00:00-04:00', endsAt: '2027-04-07T13:00:00-04:00' }));
    const clash = await http(`${app.url}/v1/appointments/${moving.id}/reschedule`, {
      token,
      json: {
        startsAt: '2027-04-07T12:30:00-04:00',
        endsAt: '2027-04-07T13:30:00-04:00',
        reason: 'client-request',
      },
    });
    expectProblem(clash, 409, 'schedule-conflict');
    const moved = await http<Appointment>(`${app.url}/v1/appointments/${moving.id}/reschedule`, {
      token,
      json: {
        startsAt: '2027-04-07T14:00:00-04:00',
        endsAt: '2027-04-07T15:00:00-04:00',
        reason: 'client-request',
      },
    });
    expect(moved.body.startsAt).toBe('2027-04-07T18:00:00.000Z');
    const rescheduled = (await outboxEvents(app, 'AppointmentRescheduled')).map((e) => e.payload);
    expect(rescheduled).toEqual([
      expect.objectContaining({
        appointmentId: moving.id,
        startsAt: '2027-04-07T18:00:00.000Z',
        reason: 'client-request',
      }),
    ]);

    const cancelled = await http<Appointment>(`${app.url}/v1/appointments/${moving.id}/cancel`, {
      token,
      json: { reason: 'weather' },
    });
    expect(cancelled.body.status).toBe('cancelled');
    const events = (await outboxEvents(app, 'AppointmentCancelled')).filter(
      (e) => e.payload['appointmentId'] === moving.id,
    );
    expect(events.map((e) => e.payload['reason'])).toEqual(['weather']);
    expectProblem(
      await http(`${app.url}/v1/appointments/${moving.id}/cancel`, { token, json: { reason: 'weather' } }),
      409,
      'invalid-transition',
    );
    // The freed slot can be booked again.
    await book(booking({ startsAt: '2027-04-07T14:00:00-04:00', endsAt: '2027-04-07T15:00:00-04:00' }));
  });

  it("answers another site's appointment 404 and a counselor's write 403", async () => {
    const mine = await book(
      booking({ startsAt: '2027-04-08T10:00:00-04:00', endsAt: '2027-04-08T11:00:00-04:00' }),
    );
    const stranger = await adminToken([OTHER_SITE]);
    expectProblem(
      await http(`${app.url}/v1/appointments/${mine.id}/cancel`, {
        token: stranger,
        json: { reason: 'weather' },
      }),
      404,
      'not-found',
    );
    const counselor = await testTokens.valid({ roles: ['counselor'], sites: [SITE], network: NETWORK });
    expectProblem(
      await http(`${app.url}/v1/appointments/${mine.id}/cancel`, {
        token: counselor,
        json: { reason: 'weather' },
      }),
      403,
      'permission-denied',
    );
  });
});

describe('calendars and rosters', () => {
  it('pages a site and a facilitator calendar by local dates, and shows a client calendar and a roster', async () => {
    const client = randomUUID();
    const episode = randomUUID();
    for (const day of ['12', '13', '14']) {
      await book(
        booking({
          clientId: client,
          episodeId: episode,
          facilitatorId: chen,
          room: 'Room 7',
          startsAt: `2027-04-${day}T09:00:00-04:00`,
          endsAt: `2027-04-${day}T10:00:00-04:00`,
        }),
      );
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: { localDate: string }[]; nextCursor: string | null } } =
        await http(
          `${app.url}/v1/staff/${chen}/calendar?from=2027-04-12&to=2027-04-15&limit=2${cursor === null ? '' : `&cursor=${cursor}`}`,
          { token },
        );
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((i) => i.localDate));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(['2027-04-12', '2027-04-13', '2027-04-14']);

    const site = await http<{ items: unknown[] }>(
      `${app.url}/v1/sites/${SITE}/calendar?from=2027-04-13&to=2027-04-14`,
      { token },
    );
    expect(site.body.items).toHaveLength(1);

    const calendar = await http<{ items: Appointment[] }>(
      `${app.url}/v1/clients/${client}/calendar?siteId=${SITE}&from=2027-04-01&to=2027-05-01`,
      { token },
    );
    expect(calendar.body.items.map((a) => a.startsAt)).toEqual([
      '2027-04-12T13:00:00.000Z',
      '2027-04-13T13:00:00.000Z',
      '2027-04-14T13:00:00.000Z',
    ]);
    const roster = await http<{ attendees: { clientId: string }[] }>(
      `${app.url}/v1/occurrences/${calendar.body.items[0]?.occurrenceId}/roster`,
      { token },
    );
    expect(roster.body.attendees.map((a) => a.clientId)).toEqual([client]);
    const audited = await app.dataSource.query<{ action: string }[]>(
      `SELECT action FROM scheduling.audit_log WHERE client_id = $1 AND action = 'list'`,
      [client],
    );
    expect(audited).toHaveLength(1);

    expectProblem(
      await http(`${app.url}/v1/sites/${SITE}/calendar?from=2027-04-14&to=2027-04-13`, { token }),
      400,
    );
    expectProblem(
      await http(`${app.url}/v1/sites/${SITE}/calendar?from=2027-02-30&to=2027-04-13`, { token }),
      400,
    );
    expectProblem(
      await http(`${app.url}/v1/sites/${SITE}/calendar?from=2027-01-01&to=2027-12-31`, { token }),
      400,
    );
    expectProblem(
      await http(`${app.url}/v1/sites/${SITE}/calendar?from=2027-04-01&to=2027-04-13&limit=0`, { token }),
      400,
    );
  });
});

describe('bad input', () => {
  // Validation runs before any lookup, so ids that exist nowhere serve: every case must fail on its input.
  const validBooking: Record<string, unknown> = { ...booking(), facilitatorId: ABSENT };
  describeBadInput(
    {
      method: 'POST',
      path: `/v1/sites/${SITE}/appointments`,
      validBody: validBooking,
      optional: ['room'],
      enums: ['kind', 'sessionType'],
      extraCases: [
        {
          name: 'end before start',
          json: { ...validBooking, endsAt: '2027-04-06T14:00:00-04:00' },
          status: 400,
        },
        {
          name: 'end equal to start',
          json: { ...validBooking, endsAt: validBooking['startsAt'] },
          status: 400,
        },
        {
          name: 'an instant without offset',
          json: { ...validBooking, startsAt: '2027-04-06T15:00:00' },
          status: 400,
        },
        { name: 'a group kind', json: { ...validBooking, kind: 'group' }, status: 400 },
        {
          name: 'a start in the past',
          json: { ...validBooking, startsAt: '2020-01-01T10:00:00Z', endsAt: '2020-01-01T11:00:00Z' },
          status: 422,
        },
        {
          name: 'both room and video link',
          json: { ...validBooking, videoLink: 'https://v.example/a' },
          status: 422,
        },
        {
          name: 'another site',
          path: `/v1/sites/${OTHER_SITE}/appointments`,
          json: validBooking,
          status: 404,
        },
      ],
    },
    () => ({ baseUrl: app.url, token, countWrites: () => countWrites(app) }),
  );
  const validMove = {
    startsAt: '2027-04-06T15:00:00-04:00',
    endsAt: '2027-04-06T16:00:00-04:00',
    reason: 'weather',
  };
  describeBadInput(
    {
      method: 'POST',
      path: `/v1/appointments/${ABSENT}/reschedule`,
      validBody: validMove,
      enums: ['reason'],
      extraCases: [
        {
          name: 'end before start',
          json: { ...validMove, endsAt: '2027-04-06T14:00:00-04:00' },
          status: 400,
        },
        {
          name: 'an impossible instant',
          json: { ...validMove, startsAt: '2027-02-29T15:00:00Z' },
          status: 400,
        },
        { name: 'an unknown appointment', json: validMove, status: 404 },
      ],
    },
    () => ({ baseUrl: app.url, token, countWrites: () => countWrites(app) }),
  );
  describeBadInput(
    {
      method: 'POST',
      path: `/v1/appointments/${ABSENT}/cancel`,
      validBody: { reason: 'weather' },
      enums: ['reason'],
      extraCases: [{ name: 'an unknown appointment', json: { reason: 'weather' }, status: 404 }],
    },
    () => ({ baseUrl: app.url, token, countWrites: () => countWrites(app) }),
  );
});
