import { randomUUID } from 'node:crypto';
import {
  type ServiceApp,
  describeBadInput,
  expectProblem,
  http,
  testTokens,
  startServiceApp,
} from '@stepwise/testing';
import {
  schedulingFixture,
  NETWORK,
  countWrites,
  referenceTopic,
  staffBody,
} from '../testing/scheduling-fixture';

const { adminToken, createSite, createStaff, createTrack, serviceToken, startScheduling } = schedulingFixture(
  { startServiceApp, http, testTokens },
);

const SITE = randomUUID();
const OTHER_SITE = randomUUID();
let app: ServiceApp;
let token: string;

beforeAll(async () => {
  app = await startScheduling('sched_reference');
  token = await adminToken([SITE]);
  await createSite(app, token, SITE);
}, 120_000);

afterAll(async () => {
  await app?.close();
});

const validSite = {
  name: 'Riverside Clinic',
  timeZone: 'America/Chicago',
  closures: ['2026-12-25'],
  active: true,
};
const validTrack = {
  name: 'Adolescent IOP',
  levelOfCare: '2.1',
  population: 'adolescent',
  modality: 'telehealth',
  weeklyPattern: [{ weekday: 'tuesday', start: '16:00', minutes: 120, sessionType: 'skills-development' }],
  active: true,
};
const validStaff = staffBody(SITE);

describe('sites', () => {
  it('upserts a site in its IANA zone and publishes SiteUpserted keyed by the site id on the compacted topic', async () => {
    const site = randomUUID();
    const admin = await adminToken([site]);
    const first = await http(`${app.url}/v1/sites/${site}`, { method: 'PUT', token: admin, json: validSite });
    expect(first.status).toBe(200);
    const second = await http<{ closures: string[]; networkId: string }>(`${app.url}/v1/sites/${site}`, {
      method: 'PUT',
      token: admin,
      json: { ...validSite, closures: ['2026-12-25', '2026-11-26'] },
    });
    expect(second.body).toMatchObject({ networkId: NETWORK, closures: ['2026-11-26', '2026-12-25'] });
    const events = await app.readEvents(
      referenceTopic,
      (all) => all.filter((e) => e.key === site).length >= 2,
    );
    const mine = events.filter((e) => e.key === site);
    expect(mine.map((e) => e.type)).toEqual(['SiteUpserted', 'SiteUpserted']);
    expect(mine[1]?.data).toMatchObject({
      siteId: site,
      networkId: NETWORK,
      timeZone: 'America/Chicago',
      closures: ['2026-11-26', '2026-12-25'],
    });
  });

  it("answers another site's record 404", async () => {
    const result = await http(`${app.url}/v1/sites/${OTHER_SITE}`, { method: 'PUT', token, json: validSite });
    expectProblem(result, 404, 'not-found');
  });

  describeBadInput(
    {
      method: 'PUT',
      path: `/v1/sites/${SITE}`,
      validBody: validSite,
      extraCases: [
        { name: 'an unknown time zone', json: { ...validSite, timeZone: 'Mars/Olympus_Mons' }, status: 400 },
        { name: 'a zone abbreviation', json: { ...validSite, timeZone: 'EST' }, status: 400 },
        { name: 'an impossible closure date', json: { ...validSite, closures: ['2026-02-30'] }, status: 400 },
        {
          name: 'duplicate closures',
          json: { ...validSite, closures: ['2026-12-25', '2026-12-25'] },
          status: 400,
        },
        { name: 'a malformed site id', path: '/v1/sites/not-a-uuid', json: validSite, status: 400 },
      ],
    },
    () => ({ baseUrl: app.url, token, countWrites: () => countWrites(app) }),
  );
});

describe('program tracks', () => {
  it('creates a track with its weekly pattern and publishes ProgramTrackUpserted with the planned minutes', async () => {
    const trackId = await createTrack(app, token, SITE, validTrack);
    const events = await app.readEvents(referenceTopic, (all) => all.some((e) => e.key === trackId));
    expect(events.find((e) => e.key === trackId)?.data).toMatchObject({
      programTrackId: trackId,
      siteId: SITE,
      levelOfCare: '2.1',
      population: 'adolescent',
      plannedWeeklyMinutes: 120,
      weeklyPattern: [
        { weekday: 'tuesday', start: '16:00', minutes: 120, sessionType: 'skills-development' },
      ],
    });
    const updated = await http<{ plannedWeeklyMinutes: number }>(`${app.url}/v1/tracks/${trackId}`, {
      method: 'PUT',
      token,
      json: {
        ...validTrack,
        weeklyPattern: [...validTrack.weeklyPattern, { ...validTrack.weeklyPattern[0], weekday: 'friday' }],
      },
    });
    expect(updated.body.plannedWeeklyMinutes).toBe(240);
  });

  it('refuses a counselor (no tracks:write) with 403', async () => {
    const counselor = await testTokens.valid({ roles: ['counselor'], sites: [SITE], network: NETWORK });
    const result = await http(`${app.url}/v1/sites/${SITE}/tracks`, { token: counselor, json: validTrack });
    expectProblem(result, 403, 'permission-denied');
  });

  describeBadInput(
    {
      method: 'POST',
      path: `/v1/sites/${SITE}/tracks`,
      validBody: validTrack,
      enums: ['levelOfCare', 'population', 'modality'],
      idempotent: true,
      extraCases: [
        { name: 'an empty weekly pattern', json: { ...validTrack, weeklyPattern: [] }, status: 400 },
        {
          name: 'an impossible start time',
          json: { ...validTrack, weeklyPattern: [{ ...validTrack.weeklyPattern[0], start: '25:00' }] },
          status: 400,
        },
        {
          name: 'an unknown weekday',
          json: { ...validTrack, weeklyPattern: [{ ...validTrack.weeklyPattern[0], weekday: 'someday' }] },
          status: 400,
        },
        {
          name: 'a session of 0 minutes',
          json: { ...validTrack, weeklyPattern: [{ ...validTrack.weeklyPattern[0], minutes: 0 }] },
          status: 400,
        },
        { name: 'another site', path: `/v1/sites/${OTHER_SITE}/tracks`, json: validTrack, status: 404 },
      ],
    },
    () => ({ baseUrl: app.url, token, countWrites: () => countWrites(app) }),
  );
});

describe('staff and the internal contact lookup', () => {
  it('publishes StaffMemberUpserted without contact details, and serves the contact to a service principal only', async () => {
    const staffId = await createStaff(app, token, SITE);
    const events = await app.readEvents(referenceTopic, (all) => all.some((e) => e.key === staffId));
    const event = events.find((e) => e.key === staffId);
    expect(event?.data).toEqual({
      staffId,
      networkId: NETWORK,
      siteIds: [SITE],
      roles: ['counselor'],
      active: true,
      updatedAt: expect.any(String),
    });
    expect(JSON.stringify(event)).not.toMatch(/rivera|5551234567/i);

    const service = await serviceToken();
    const sms = await http(`${app.url}/v1/internal/staff/${staffId}/contact?channel=sms`, { token: service });
    expect(sms.status).toBe(200);
    expect(sms.body).toEqual({
      channel: 'sms',
      address: '+15551234567',
      timeZone: 'America/New_York',
      preferredLanguage: 'en-US',
      displayName: 'Dr. Rivera',
    });
    const email = await http<{ address: string }>(
      `${app.url}/v1/internal/staff/${staffId}/contact?channel=email`,
      {
        token: service,
      },
    );
    expect(email.body.address).toBe('rivera@clinic.example');
    const audited = await app.dataSource.query<{ actor_id: string; outcome: string }[]>(
      `SELECT actor_id, outcome FROM scheduling.audit_log WHERE resource_type = 'staff-contact' AND resource_id = $1`,
      [staffId],
    );
    expect(audited).toEqual([
      { actor_id: 'notifications', outcome: 'allowed' },
      { actor_id: 'notifications', outcome: 'allowed' },
    ]);

    expectProblem(await http(`${app.url}/v1/internal/staff/${staffId}/contact?channel=sms`, { token }), 403);
    expectProblem(
      await http(`${app.url}/v1/internal/staff/${staffId}/contact?channel=fax`, { token: service }),
      400,
      'validation-failed',
    );
    expectProblem(
      await http(`${app.url}/v1/internal/staff/${randomUUID()}/contact?channel=sms`, { token: service }),
      404,
      'not-found',
    );
  });

  describeBadInput(
    {
      method: 'POST',
      path: '/v1/staff',
      validBody: validStaff,
      optional: ['email', 'phone'],
      enums: [],
      idempotent: true,
      extraCases: [
        { name: 'an unknown role', json: { ...validStaff, roles: ['wizard'] }, status: 400 },
        { name: 'an unknown time zone', json: { ...validStaff, timeZone: 'Atlantis/Capital' }, status: 400 },
        { name: 'a malformed e-mail', json: { ...validStaff, email: 'not-an-email' }, status: 400 },
        { name: 'a phone not in E.164', json: { ...validStaff, phone: '555-1234' }, status: 400 },
        {
          name: 'a site outside the caller scope',
          json: { ...validStaff, siteIds: [OTHER_SITE] },
          status: 404,
        },
      ],
    },
    () => ({ baseUrl: app.url, token, countWrites: () => countWrites(app) }),
  );
});
