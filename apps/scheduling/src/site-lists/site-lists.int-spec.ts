import { randomUUID } from 'node:crypto';
import { type ServiceApp, expectProblem, http, startServiceApp, testTokens } from '@stepwise/testing';
import { NETWORK, schedulingFixture } from '../testing/scheduling-fixture';

const { adminToken, createSite, createStaff, createTrack, startScheduling } = schedulingFixture({
  startServiceApp,
  http,
  testTokens,
});

/*
 * The lists of a site the staff console shows, on the real service and Postgres: tracks, the staff directory,
 * group series, and one day's sessions with their rosters. The service's clock is fixed at 1 April 2027 and
 * the day read is Monday 5 April 2027 (America/New_York), whatever day the suite runs.
 */

const SITE = randomUUID();
const OTHER_SITE = randomUUID();
const DAY = '2027-04-05';
let app: ServiceApp;
let admin: string;
let counselor: string;
let coordinator: string;
let elsewhere: string;
let facilitator: string;
let track: string;
let series: string;
let booked: { id: string; occurrenceId: string; clientId: string; episodeId: string };

type PageOf<T> = { items: T[]; nextCursor: string | null };
type Json = Record<string, unknown>;

beforeAll(async () => {
  app = await startScheduling('sched_site_lists', '2027-04-01T12:00:00.000Z');
  admin = await adminToken([SITE, OTHER_SITE]);
  const user = (roles: string[], sites: string[]): Promise<string> =>
    testTokens.valid({ sub: randomUUID(), roles, sites, network: NETWORK });
  counselor = await user(['counselor'], [SITE]);
  coordinator = await user(['intake-coordinator'], [SITE]);
  elsewhere = await user(['counselor'], [OTHER_SITE]);
  await createSite(app, admin, SITE);
  await createSite(app, admin, OTHER_SITE);
  facilitator = await createStaff(app, admin, SITE);
  await createStaff(app, admin, OTHER_SITE);
  track = await createTrack(app, admin, SITE);
  await createTrack(app, admin, SITE, { name: 'Closed track', active: false });
  const created = await http<{ id: string }>(`${app.url}/v1/sites/${SITE}/group-series`, {
    token: admin,
    json: {
      programTrackId: track,
      sessionType: 'process-group',
      weekday: 'monday',
      start: '18:00',
      minutes: 180,
      facilitatorId: facilitator,
      room: 'Room 1',
      capacity: 8,
      startsOn: '2027-03-29',
    },
  });
  expect(created.status).toBe(201);
  series = created.body.id;
  const appointment = await http<typeof booked>(`${app.url}/v1/sites/${SITE}/appointments`, {
    token: admin,
    json: {
      clientId: randomUUID(),
      episodeId: randomUUID(),
      kind: 'individual',
      sessionType: 'individual-counseling',
      facilitatorId: facilitator,
      videoLink: 'https://video.clinic.example/rivera',
      startsAt: '2027-04-05T15:00:00-04:00',
      endsAt: '2027-04-05T16:00:00-04:00',
    },
  });
  expect(appointment.status).toBe(201);
  booked = appointment.body;
}, 120_000);

afterAll(async () => {
  await app?.close();
});

const get = <T>(path: string, token = counselor) => http<T>(`${app.url}/v1${path}`, { token });

describe("a site's day of sessions", () => {
  it('lists the sessions of the local day in start order, with room or video link, facilitator and roster', async () => {
    const day = await get<PageOf<Json>>(`/sites/${SITE}/sessions?date=${DAY}`);
    expect(day.status).toBe(200);
    expect(day.body.items).toEqual([
      expect.objectContaining({
        id: booked.occurrenceId,
        kind: 'individual',
        seriesId: null,
        videoLink: 'https://video.clinic.example/rivera',
        facilitatorId: facilitator,
        facilitatorName: 'Dr. Rivera',
        localDate: DAY,
        startsAt: '2027-04-05T19:00:00.000Z',
        status: 'scheduled',
        roster: [{ appointmentId: booked.id, clientId: booked.clientId, episodeId: booked.episodeId }],
      }),
      expect.objectContaining({
        seriesId: series,
        programTrackId: track,
        kind: 'group',
        room: 'Room 1',
        startsAt: '2027-04-05T22:00:00.000Z',
        roster: [],
      }),
    ]);
    // Each roster shown is a read of client data: audited.
    const audit = await app.dataSource.query<{ resource_id: string }[]>(
      `SELECT resource_id FROM scheduling.audit_log WHERE resource_type = 'roster' AND action = 'read'
        AND outcome = 'allowed' AND site_id = $1`,
      [SITE],
    );
    expect(audit.map((a) => a.resource_id)).toEqual(expect.arrayContaining([booked.occurrenceId]));
  });

  it('pages with a cursor, and lists nothing on a day without sessions', async () => {
    const first = await get<PageOf<Json>>(`/sites/${SITE}/sessions?date=${DAY}&limit=1`);
    expect(first.body.items).toHaveLength(1);
    const second = await get<PageOf<Json>>(
      `/sites/${SITE}/sessions?date=${DAY}&limit=1&cursor=${String(first.body.nextCursor)}`,
    );
    expect(second.body.items.map((s) => s.seriesId)).toEqual([series]);
    expect((await get<PageOf<Json>>(`/sites/${SITE}/sessions?date=2027-04-04`)).body.items).toEqual([]);
  });

  it('refuses bad dates, page sizes and cursors, and another site', async () => {
    for (const query of [
      '',
      'date=2027-02-30',
      'date=yesterday',
      `date=${DAY}&limit=0`,
      `date=${DAY}&limit=1000000000`,
    ]) {
      expectProblem(await get(`/sites/${SITE}/sessions?${query}`), 400);
    }
    expectProblem(await get(`/sites/${SITE}/sessions?date=${DAY}&cursor=Zm9v`), 400, 'invalid-cursor');
    const other = await get(`/sites/${SITE}/sessions?date=${DAY}`, elsewhere);
    expect([403, 404]).toContain(other.status);
    expectProblem(other, other.status);
  });
});

describe("a site's reference lists", () => {
  it('lists tracks (active filter) to counselors and intake coordinators', async () => {
    const all = await get<PageOf<Json>>(`/sites/${SITE}/tracks`, coordinator);
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(2);
    const active = await get<PageOf<Json>>(`/sites/${SITE}/tracks?active=true`);
    expect(active.body.items).toEqual([
      expect.objectContaining({ id: track, levelOfCare: '2.1', plannedWeeklyMinutes: 420, active: true }),
    ]);
    expectProblem(await get(`/sites/${SITE}/tracks?active=maybe`), 400);
  });

  it("lists the site's staff without their contact details", async () => {
    const staff = await get<PageOf<Json>>(`/sites/${SITE}/staff`);
    expect(staff.body.items).toEqual([
      { id: facilitator, displayName: 'Dr. Rivera', roles: ['counselor'], siteIds: [SITE], active: true },
    ]);
    expect(JSON.stringify(staff.body)).not.toMatch(/@|\+1555/);
  });

  it('lists group series with seats taken, and pages every list by id', async () => {
    const list = await get<PageOf<Json>>(`/sites/${SITE}/group-series`);
    expect(list.body.items).toEqual([
      expect.objectContaining({ id: series, programTrackId: track, capacity: 8, seated: 0, active: true }),
    ]);
    const first = await get<PageOf<Json>>(`/sites/${SITE}/tracks?limit=1`);
    const second = await get<PageOf<Json>>(
      `/sites/${SITE}/tracks?limit=1&cursor=${String(first.body.nextCursor)}`,
    );
    expect(second.body.items[0]?.id).not.toBe(first.body.items[0]?.id);
    expect(second.body.nextCursor).toBeNull();
  });

  it("answers another site's lists with 403/404 and requires a token", async () => {
    for (const list of ['tracks', 'staff', 'group-series']) {
      const other = await get(`/sites/${SITE}/${list}`, elsewhere);
      expect([403, 404]).toContain(other.status);
      expectProblem(await http(`${app.url}/v1/sites/${SITE}/${list}`), 401);
    }
  });
});
