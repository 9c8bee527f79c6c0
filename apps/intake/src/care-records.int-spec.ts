import { randomUUID } from 'node:crypto';
import { LevelOfCare, Population, Topics } from '@stepwise/contracts';
import {
  type ServiceApp,
  describeBadInput,
  expectProblem,
  http,
  metricValue,
  startServiceApp,
  testTokens,
  waitFor,
} from '@stepwise/testing';
import {
  CANARY,
  CANARY_VALUES,
  admissionBody,
  clientBody,
  newReferenceWorld,
  referralBody,
  track,
} from './testing/fixtures';
import { countRows, expectCleanEvents, outboxEvents, startIntake } from './testing/harness';

/*
 * Referrals, clients and episodes of care on the real service (Postgres, Kafka, Redis), with reference data
 * arriving the real way: published on scheduling's reference topic and projected by intake's consumer.
 */

const world = newReferenceWorld();
let svc: ServiceApp;
let coordinator: string;
let supervisor: string;

type Json = Record<string, unknown>;

async function post(
  path: string,
  json: unknown,
  token = coordinator,
): Promise<{ status: number; body: Json }> {
  const result = await http<Json>(`${svc.url}${path}`, { method: 'POST', token, json });
  return { status: result.status, body: result.body };
}

async function created(path: string, json: unknown, token = coordinator): Promise<Json> {
  const result = await post(path, json, token);
  expect(result).toMatchObject({ status: 201 });
  return result.body;
}

const newClient = async (site = world.siteA): Promise<string> =>
  String((await created('/v1/clients', clientBody(site))).id);

beforeAll(async () => {
  svc = await startIntake(startServiceApp, 'intake_care', world, waitFor);
  coordinator = await testTokens.valid({
    sub: randomUUID(),
    roles: ['intake-coordinator'],
    sites: [world.siteA],
    network: world.networkId,
  });
  supervisor = await testTokens.valid({
    sub: randomUUID(),
    roles: ['clinical-supervisor'],
    sites: [world.siteA],
    network: world.networkId,
  });
}, 120_000);

afterAll(async () => {
  await svc?.close();
});

describe('referrals', () => {
  it('are received at a site the caller works at and publish ReferralReceived', async () => {
    const referral = await created('/v1/referrals', referralBody(world.siteA));
    expect(referral).toMatchObject({
      siteId: world.siteA,
      source: 'physician',
      status: 'received',
      clientId: null,
    });
    const [event] = (await outboxEvents(svc, 'ReferralReceived')).filter(
      (e) => e.payload['referralId'] === referral.id,
    );
    expect(event?.payload).toEqual({
      referralId: referral.id,
      siteId: world.siteA,
      source: 'physician',
      receivedAt: referral.receivedAt,
    });
    expect(event?.headers['ce_subject']).toBe(referral.id);
  });

  it('answer 404 for a site outside the token, and write nothing', async () => {
    const before = await countRows(svc, 'referrals', 'outbox');
    const result = await http(`${svc.url}/v1/referrals`, {
      token: coordinator,
      json: referralBody(world.siteB),
    });
    expectProblem(result, 404, 'not-found');
    expect(await countRows(svc, 'referrals', 'outbox')).toBe(before);
  });

  it('move received → screening → assessed and refuse skipping back or to admitted', async () => {
    const referral = await created('/v1/referrals', referralBody(world.siteA));
    const path = `/v1/referrals/${String(referral.id)}/transitions`;
    expect(await post(path, { to: 'screening' })).toMatchObject({
      status: 200,
      body: { status: 'screening' },
    });
    expect(await post(path, { to: 'assessed' })).toMatchObject({ status: 200, body: { status: 'assessed' } });
    const back = await http(`${svc.url}${path}`, { token: coordinator, json: { to: 'screening' } });
    expectProblem(back, 409, 'invalid-transition');
    expectProblem(
      await http(`${svc.url}${path}`, { token: coordinator, json: { to: 'admitted' } }),
      400,
      'validation-failed',
    );
    expect(await post(path, { to: 'declined' })).toMatchObject({ status: 200, body: { status: 'declined' } });
    expectProblem(
      await http(`${svc.url}${path}`, { token: coordinator, json: { to: 'referred-elsewhere' } }),
      409,
      'invalid-transition',
    );
  });

  it('list per site and status in cursor pages', async () => {
    const site = world.siteA;
    for (let i = 0; i < 3; i += 1) await created('/v1/referrals', referralBody(site));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `&cursor=${cursor}`;
      const page = await http<{ items: Json[]; nextCursor: string | null }>(
        `${svc.url}/v1/sites/${site}/referrals?status=received&limit=2${query}`,
        { token: coordinator },
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      for (const item of page.body.items) expect(item.status).toBe('received');
      seen.push(...page.body.items.map((item) => String(item.id)));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    for (const limit of ['0', '-1', '1000000000']) {
      expectProblem(
        await http(`${svc.url}/v1/sites/${site}/referrals?limit=${limit}`, { token: coordinator }),
        400,
        'validation-failed',
      );
    }
  });
});

describe('clients', () => {
  it('keep demographics and contacts, and audit every read', async () => {
    const referral = await created('/v1/referrals', referralBody(world.siteA));
    const client = await created('/v1/clients', clientBody(world.siteA, { referralId: referral.id }));
    const read = await http<Json>(`${svc.url}/v1/clients/${String(client.id)}`, { token: coordinator });
    expect(read.body).toMatchObject({
      givenName: CANARY.givenName,
      familyName: CANARY.familyName,
      dateOfBirth: CANARY.dateOfBirth,
      phone: CANARY.phone,
      email: CANARY.email,
      referralId: referral.id,
    });
    const audit = await svc.dataSource.query<{ action: string }[]>(
      `SELECT action FROM intake.audit_log WHERE client_id = $1 AND outcome = 'allowed' ORDER BY occurred_at`,
      [client.id],
    );
    expect(audit.map((a) => a.action)).toEqual(['create', 'read']);
  });

  it('are 404 to a caller of another site, with a denied audit entry', async () => {
    const client = await newClient();
    const other = await testTokens.valid({
      sub: randomUUID(),
      roles: ['intake-coordinator'],
      sites: [world.siteB],
    });
    expectProblem(await http(`${svc.url}/v1/clients/${client}`, { token: other }), 404, 'not-found');
    const denied = await svc.dataSource.query(
      `SELECT 1 FROM intake.audit_log WHERE client_id = $1 AND outcome = 'denied'`,
      [client],
    );
    expect(denied).toHaveLength(1);
  });

  it("keep the denied audit entry of another site's change, though the change's transaction rolls back", async () => {
    const client = await newClient();
    const other = await testTokens.valid({
      sub: randomUUID(),
      roles: ['intake-coordinator'],
      sites: [world.siteB],
    });
    const attempt = await http(`${svc.url}/v1/clients/${client}`, {
      method: 'PATCH',
      token: other,
      json: { phone: '+15555550149' },
    });
    expectProblem(attempt, 404, 'not-found');
    const denied = await svc.dataSource.query<{ action: string }[]>(
      `SELECT action FROM intake.audit_log WHERE client_id = $1 AND outcome = 'denied'`,
      [client],
    );
    expect(denied.map((d) => d.action)).toEqual(['update']);
  });

  it('change contacts by PATCH (audited, no event)', async () => {
    const client = await newClient();
    const before = await countRows(svc, 'outbox');
    const changed = await http<Json>(`${svc.url}/v1/clients/${client}`, {
      method: 'PATCH',
      token: coordinator,
      json: { phone: '+15555550148', preferredLanguage: 'es-US' },
    });
    expect(changed).toMatchObject({
      status: 200,
      body: {
        phone: '+15555550148',
        preferredLanguage: 'es-US',
        email: CANARY.email,
        givenName: CANARY.givenName,
      },
    });
    expect(await countRows(svc, 'outbox')).toBe(before);
    const audit = await svc.dataSource.query(
      `SELECT 1 FROM intake.audit_log WHERE client_id = $1 AND action = 'update'`,
      [client],
    );
    expect(audit).toHaveLength(1);
  });

  it('refuse a birth date in the future with 422', async () => {
    const result = await http(`${svc.url}/v1/clients`, {
      token: coordinator,
      json: clientBody(world.siteA, { dateOfBirth: '2999-01-01' }),
    });
    expectProblem(result, 422, 'unprocessable');
  });
});

describe('admission', () => {
  it('opens an episode at the site midnight and publishes ClientAdmitted; the referral becomes admitted', async () => {
    const referral = await created('/v1/referrals', referralBody(world.siteA));
    const clientId = await newClient();
    const episode = await created(
      `/v1/clients/${clientId}/admissions`,
      admissionBody(world.siteA, world.adultIopA, { referralId: referral.id }),
    );
    // 2 March 2026 in America/Chicago (CST, UTC-6).
    expect(episode).toMatchObject({
      clientId,
      status: 'active',
      clinicalLevel: '2.1',
      authorizedLevel: null,
      admittedAt: '2026-03-02T06:00:00.000Z',
      levelHistory: [{ kind: 'clinical', fromLevel: null, toLevel: '2.1', reasonCode: 'admission' }],
    });
    const [event] = (await outboxEvents(svc, 'ClientAdmitted')).filter(
      (e) => e.payload['clientId'] === clientId,
    );
    expect(event?.payload).toEqual({
      episodeId: episode.id,
      clientId,
      siteId: world.siteA,
      programTrackId: world.adultIopA,
      levelOfCare: '2.1',
      population: 'adult',
      admittedAt: '2026-03-02T06:00:00.000Z',
      primaryCounselorId: admissionBody(world.siteA, world.adultIopA)['primaryCounselorId'],
    });
    const after = await http<Json>(`${svc.url}/v1/referrals/${String(referral.id)}`, { token: coordinator });
    expect(after.body).toMatchObject({ status: 'admitted', clientId });
  });

  it('allows one active episode per client (409), again after discharge', async () => {
    // The program gauge an operator's dashboard reads follows admissions and discharges.
    const activeAtSiteA = async (): Promise<number> =>
      metricValue((await http(`${svc.url}/metrics`)).text, 'stepwise_active_clients', {
        site: world.siteA,
        level: LevelOfCare.IntensiveOutpatient,
        population: Population.Adult,
      }) ?? 0;
    const activeBefore = await activeAtSiteA();
    /** Admissions and completed discharges at site A, as the Program dashboard counts them. */
    const flowAtSiteA = async (): Promise<[number, number]> => {
      const text = (await http(`${svc.url}/metrics`)).text;
      const labels = { site: world.siteA, level: LevelOfCare.IntensiveOutpatient };
      return [
        metricValue(text, 'stepwise_admissions_total', { ...labels, population: Population.Adult }) ?? 0,
        metricValue(text, 'stepwise_discharges_total', { ...labels, reason: 'completed' }) ?? 0,
      ];
    };
    const [admittedBefore, dischargedBefore] = await flowAtSiteA();
    const clientId = await newClient();
    const episode = await created(
      `/v1/clients/${clientId}/admissions`,
      admissionBody(world.siteA, world.adultIopA),
    );
    const before = await countRows(svc, 'episodes', 'outbox');
    expectProblem(
      await http(`${svc.url}/v1/clients/${clientId}/admissions`, {
        token: coordinator,
        json: admissionBody(world.siteA, world.adultOpA, { levelOfCare: '1' }),
      }),
      409,
      'episode-already-active',
    );
    expect(await countRows(svc, 'episodes', 'outbox')).toBe(before);
    expect(await activeAtSiteA()).toBe(activeBefore + 1);
    const discharged = await post(
      `/v1/episodes/${String(episode.id)}/discharge`,
      {
        dischargedAt: '2026-04-30T18:00:00Z',
        reason: 'completed',
        referredTo: ['outpatient-therapy', 'alumni-group'],
      },
      supervisor,
    );
    expect(discharged).toMatchObject({
      status: 200,
      body: { status: 'discharged', dischargeReason: 'completed' },
    });
    const [event] = (await outboxEvents(svc, 'ClientDischarged')).filter(
      (e) => e.payload['clientId'] === clientId,
    );
    expect(event?.payload).toEqual({
      episodeId: episode.id,
      clientId,
      siteId: world.siteA,
      dischargedAt: '2026-04-30T18:00:00.000Z',
      reason: 'completed',
      referredTo: ['outpatient-therapy', 'alumni-group'],
    });
    expectProblem(
      await http(`${svc.url}/v1/episodes/${String(episode.id)}/discharge`, {
        token: supervisor,
        json: { dischargedAt: '2026-05-01T18:00:00Z', reason: 'completed', referredTo: [] },
      }),
      409,
      'invalid-transition',
    );
    expect(await activeAtSiteA()).toBe(activeBefore);
    // One admission and one discharge counted: not the refused second admission nor the second discharge.
    expect(await flowAtSiteA()).toEqual([admittedBefore + 1, dischargedBefore + 1]);
    await created(
      `/v1/clients/${clientId}/admissions`,
      admissionBody(world.siteA, world.adultIopA, { admittedOn: '2026-06-01' }),
    );
  });

  it('answers 404 for a site outside the token and 422 for a track not known at the site', async () => {
    const clientId = await newClient();
    const path = `${svc.url}/v1/clients/${clientId}/admissions`;
    const before = await countRows(svc, 'episodes', 'outbox');
    expectProblem(
      await http(path, { token: coordinator, json: admissionBody(world.siteB, world.adultIopB) }),
      404,
      'not-found',
    );
    expectProblem(
      await http(path, { token: coordinator, json: admissionBody(world.siteA, world.adultOpA) }),
      422,
      'unknown-program-track',
    );
    for (const track of [randomUUID(), world.adultIopB, world.inactiveTrackA, world.adolescentIopA]) {
      expectProblem(
        await http(path, { token: coordinator, json: admissionBody(world.siteA, track) }),
        422,
        'unknown-program-track',
      );
    }
    expect(await countRows(svc, 'episodes', 'outbox')).toBe(before);
  });

  it('keeps the authorized level apart from the clinical one, with its history', async () => {
    const clientId = await newClient();
    const episode = await created(
      `/v1/clients/${clientId}/admissions`,
      admissionBody(world.siteA, world.adultIopA),
    );
    const path = `/v1/episodes/${String(episode.id)}/authorizations`;
    const authorization = {
      levelOfCare: '1',
      authorizationNumber: 'AUTH-123',
      payerCode: 'state-medicaid',
      units: 12,
      startsOn: '2026-03-02',
      endsOn: '2026-03-31',
    };
    expect(await post(path, authorization)).toMatchObject({
      status: 200,
      body: { clinicalLevel: '2.1', authorizedLevel: '1' },
    });
    const [event] = (await outboxEvents(svc, 'LevelOfCareChanged')).filter(
      (e) => e.payload['clientId'] === clientId,
    );
    expect(event?.payload).toMatchObject({
      kind: 'authorized',
      fromLevel: '2.1',
      toLevel: '1',
      reasonCode: 'payer-authorization',
    });
    const [recorded] = (await outboxEvents(svc, 'PayerAuthorizationRecorded')).filter(
      (e) => e.payload['clientId'] === clientId,
    );
    expect(recorded?.payload).toMatchObject({
      episodeId: episode.id,
      payerCode: 'state-medicaid',
      authorizationNumber: 'AUTH-123',
      levelOfCare: '1',
      units: 12,
      startsOn: '2026-03-02',
      endsOn: '2026-03-31',
    });
    const read = await http<Json>(`${svc.url}/v1/episodes/${String(episode.id)}`, { token: coordinator });
    expect(read.body['levelHistory']).toEqual([
      expect.objectContaining({ kind: 'clinical', toLevel: '2.1' }),
      expect.objectContaining({
        kind: 'authorized',
        fromLevel: null,
        toLevel: '1',
        authorizationId: recorded?.payload['authorizationId'],
        payerCode: 'state-medicaid',
        authorizationNumber: 'AUTH-123',
        units: 12,
        startsOn: '2026-03-02',
        endsOn: '2026-03-31',
      }),
    ]);
    expectProblem(
      await http(`${svc.url}${path}`, {
        token: coordinator,
        json: { ...authorization, endsOn: '2026-03-01' },
      }),
      422,
      'unprocessable',
    );
  });
});

describe('diagnoses', () => {
  it('are recorded as revisions, primary first, published and kept with their history', async () => {
    const clientId = await newClient();
    const episode = await created(
      `/v1/clients/${clientId}/admissions`,
      admissionBody(world.siteA, world.adultIopA),
    );
    const path = `/v1/episodes/${String(episode.id)}/diagnoses`;
    const first = await post(
      path,
      { diagnosisCodes: ['F10.20'], effectiveOn: String(episode.admittedOn) },
      supervisor,
    );
    expect(first).toMatchObject({
      status: 200,
      body: { current: { revision: 1, diagnosisCodes: ['F10.20'] } },
    });
    // The same list again changes nothing; a new list is revision 2 and keeps revision 1.
    expect(
      await post(path, { diagnosisCodes: ['F10.20'], effectiveOn: String(episode.admittedOn) }, supervisor),
    ).toMatchObject({ status: 200, body: { history: [{ revision: 1 }] } });
    const second = await post(
      path,
      { diagnosisCodes: ['F11.20', 'F10.20'], effectiveOn: '2026-03-16' },
      supervisor,
    );
    expect(second.body['history']).toEqual([
      expect.objectContaining({ revision: 1, diagnosisCodes: ['F10.20'] }),
      expect.objectContaining({
        revision: 2,
        diagnosisCodes: ['F11.20', 'F10.20'],
        effectiveOn: '2026-03-16',
      }),
    ]);
    const events = (await outboxEvents(svc, 'EpisodeDiagnosesChanged')).filter(
      (e) => e.payload['clientId'] === clientId,
    );
    expect(events.map((e) => [e.payload['revision'], e.payload['diagnosisCodes']])).toEqual([
      [1, ['F10.20']],
      [2, ['F11.20', 'F10.20']],
    ]);
    const read = await http<Json>(`${svc.url}${path}`, { token: coordinator });
    expect(read.body['current']).toMatchObject({ revision: 2 });
    // A revision may not reach back before the one in force (what was billed keeps its codes).
    expectProblem(
      await http(`${svc.url}${path}`, {
        token: supervisor,
        json: { diagnosisCodes: ['F12.20'], effectiveOn: '2026-03-10' },
      }),
      422,
      'unprocessable',
    );
    // An intake coordinator does not diagnose.
    expectProblem(
      await http(`${svc.url}${path}`, {
        token: coordinator,
        json: { diagnosisCodes: ['F12.20'], effectiveOn: '2026-03-20' },
      }),
      403,
      'permission-denied',
    );
  });
});

describe('bad input', () => {
  let referralId = '';
  let admissionClient = '';
  let episodeId = '';
  const token = (): string => coordinator;

  beforeAll(async () => {
    referralId = String((await created('/v1/referrals', referralBody(world.siteA))).id);
    admissionClient = await newClient();
    const episodeClient = await newClient();
    episodeId = String(
      (await created(`/v1/clients/${episodeClient}/admissions`, admissionBody(world.siteA, world.adultIopA)))
        .id,
    );
  });

  const writes =
    (...tables: string[]) =>
    () =>
      countRows(svc, ...tables, 'outbox');
  const otherSite = { name: "another site's id", status: 404, code: 'not-found' };

  describeBadInput(
    {
      method: 'POST',
      path: '/v1/referrals',
      validBody: referralBody(world.siteA),
      enums: ['source', 'reasonCode'],
      idempotent: true,
      extraCases: [{ ...otherSite, json: referralBody(world.siteB) }],
    },
    () => ({ baseUrl: svc.url, token: token(), countWrites: writes('referrals') }),
  );

  describeBadInput(
    {
      method: 'POST',
      get path() {
        return `/v1/referrals/${referralId}/transitions`;
      },
      validBody: { to: 'screening' },
      enums: ['to'],
      extraCases: [
        {
          name: 'an unknown referral',
          path: `/v1/referrals/${randomUUID()}/transitions`,
          json: { to: 'screening' },
          status: 404,
          code: 'not-found',
        },
        {
          name: 'a malformed referral id',
          path: '/v1/referrals/not-a-uuid/transitions',
          json: { to: 'screening' },
          status: 400,
          code: 'validation-failed',
        },
      ],
    },
    () => ({ baseUrl: svc.url, token: token(), countWrites: writes('referrals') }),
  );

  describeBadInput(
    {
      method: 'POST',
      path: '/v1/clients',
      validBody: clientBody(world.siteA),
      optional: ['pronouns', 'phone', 'email', 'address'],
      idempotent: true,
      extraCases: [
        { ...otherSite, json: clientBody(world.siteB) },
        {
          name: 'an impossible birth date',
          json: clientBody(world.siteA, { dateOfBirth: '1990-02-30' }),
          status: 400,
          code: 'validation-failed',
        },
        {
          name: 'a phone that is not E.164',
          json: clientBody(world.siteA, { phone: '555-0147' }),
          status: 400,
          code: 'validation-failed',
        },
        {
          name: 'an unknown time zone',
          json: clientBody(world.siteA, { timeZone: 'Mars/Olympus' }),
          status: 400,
          code: 'validation-failed',
        },
        {
          name: 'an unknown referral',
          json: clientBody(world.siteA, { referralId: randomUUID() }),
          status: 404,
          code: 'not-found',
        },
      ],
    },
    () => ({ baseUrl: svc.url, token: token(), countWrites: writes('clients') }),
  );

  describeBadInput(
    {
      method: 'PATCH',
      get path() {
        return `/v1/clients/${admissionClient}`;
      },
      validBody: { phone: '+15555550149', timeZone: 'America/Denver' },
      optional: ['phone', 'timeZone'],
      extraCases: [
        { name: 'no change at all', json: {}, status: 400, code: 'validation-failed' },
        { name: 'a new site', json: { siteId: world.siteB }, status: 400, code: 'validation-failed' },
        {
          name: 'a birth date in the future',
          json: { dateOfBirth: '2999-01-01' },
          status: 422,
          code: 'unprocessable',
        },
        {
          name: 'an unknown client',
          path: `/v1/clients/${randomUUID()}`,
          json: { phone: '+15555550149' },
          status: 404,
          code: 'not-found',
        },
      ],
    },
    () => ({
      baseUrl: svc.url,
      token: token(),
      countWrites: async () => {
        const [row] = await svc.dataSource.query<{ at: string }[]>(
          `SELECT extract(epoch FROM max(updated_at)) * 1e6 AS at FROM intake.clients`,
        );
        return Number(row?.at);
      },
    }),
  );

  describeBadInput(
    {
      method: 'POST',
      get path() {
        return `/v1/clients/${admissionClient}/admissions`;
      },
      validBody: admissionBody(world.siteA, world.adultIopA),
      enums: ['levelOfCare', 'population'],
      optional: [],
      idempotent: true,
      extraCases: [
        { ...otherSite, json: admissionBody(world.siteB, world.adultIopB) },
        {
          name: 'an unknown track',
          json: admissionBody(world.siteA, randomUUID()),
          status: 422,
          code: 'unknown-program-track',
        },
        {
          name: 'an unknown client',
          path: `/v1/clients/${randomUUID()}/admissions`,
          json: admissionBody(world.siteA, world.adultIopA),
          status: 404,
          code: 'not-found',
        },
      ],
    },
    () => ({ baseUrl: svc.url, token: token(), countWrites: writes('episodes', 'level_history') }),
  );

  describeBadInput(
    {
      method: 'POST',
      get path() {
        return `/v1/episodes/${episodeId}/authorizations`;
      },
      validBody: {
        levelOfCare: '2.1',
        authorizationNumber: 'AUTH-9',
        payerCode: 'state-medicaid',
        units: 10,
        startsOn: '2026-03-02',
        endsOn: '2026-03-31',
      },
      enums: ['levelOfCare'],
      extraCases: [
        {
          name: 'end before start',
          json: {
            levelOfCare: '2.1',
            authorizationNumber: 'AUTH-9',
            payerCode: 'state-medicaid',
            units: 10,
            startsOn: '2026-03-02',
            endsOn: '2026-03-01',
          },
          status: 422,
          code: 'unprocessable',
        },
        {
          name: 'zero units',
          json: {
            levelOfCare: '2.1',
            authorizationNumber: 'AUTH-9',
            payerCode: 'state-medicaid',
            units: 0,
            startsOn: '2026-03-02',
            endsOn: '2026-03-31',
          },
          status: 400,
          code: 'validation-failed',
        },
      ],
    },
    () => ({ baseUrl: svc.url, token: token(), countWrites: writes('level_history') }),
  );

  describeBadInput(
    {
      method: 'POST',
      get path() {
        return `/v1/episodes/${episodeId}/diagnoses`;
      },
      validBody: { diagnosisCodes: ['F10.20', 'F32.1'], effectiveOn: '2026-03-02' },
      idempotent: true,
      extraCases: [
        ...['f10.20', 'F1020X', 'F10.', 'F10.20000', '10.20', 'F10 20'].map((code) => ({
          name: `a malformed ICD-10-CM code ${code}`,
          json: { diagnosisCodes: [code], effectiveOn: '2026-03-02' },
          status: 400,
          code: 'validation-failed',
        })),
        {
          name: 'no diagnosis',
          json: { diagnosisCodes: [], effectiveOn: '2026-03-02' },
          status: 400,
          code: 'validation-failed',
        },
        {
          name: 'a code twice',
          json: { diagnosisCodes: ['F10.20', 'F10.20'], effectiveOn: '2026-03-02' },
          status: 400,
          code: 'validation-failed',
        },
        {
          name: 'a first day before admission',
          json: { diagnosisCodes: ['F10.20'], effectiveOn: '2026-01-01' },
          status: 422,
          code: 'unprocessable',
        },
      ],
    },
    () => ({ baseUrl: svc.url, token: supervisor, countWrites: writes('episode_diagnoses') }),
  );

  describeBadInput(
    {
      method: 'POST',
      get path() {
        return `/v1/episodes/${episodeId}/discharge`;
      },
      validBody: { dischargedAt: '2026-04-30T18:00:00Z', reason: 'completed', referredTo: ['sober-living'] },
      enums: ['reason'],
      extraCases: [
        {
          name: 'discharge before admission',
          json: { dischargedAt: '2026-01-01T00:00:00Z', reason: 'completed', referredTo: [] },
          status: 422,
          code: 'unprocessable',
        },
        {
          name: 'an unknown onward referral',
          json: { dischargedAt: '2026-04-30T18:00:00Z', reason: 'completed', referredTo: ['the-moon'] },
          status: 400,
          code: 'validation-failed',
        },
      ],
    },
    () => ({ baseUrl: svc.url, token: supervisor, countWrites: writes('episodes') }),
  );
});

describe('the reference projection', () => {
  it('keeps the newest version of a track: an older record arriving late changes nothing', async () => {
    const trackId = randomUUID();
    const admit = async (): Promise<number> => {
      const client = await newClient();
      return (await post(`/v1/clients/${client}/admissions`, admissionBody(world.siteA, trackId))).status;
    };
    const projected = (active: boolean) => async () =>
      (
        await svc.dataSource.query<{ active: boolean }[]>(
          `SELECT active FROM intake.program_tracks WHERE id = $1`,
          [trackId],
        )
      )[0]?.active === active;
    const now = Date.now();
    await svc.publish(
      track(trackId, world.siteA, LevelOfCare.IntensiveOutpatient, Population.Adult, true, new Date(now)),
    );
    await waitFor('the track', projected(true), (ok) => ok);
    expect(await admit()).toBe(201);
    // An older, inactive version arriving late must not close the track.
    const late = await svc.publish(
      track(
        trackId,
        world.siteA,
        LevelOfCare.IntensiveOutpatient,
        Population.Adult,
        false,
        new Date(now - 60_000),
      ),
    );
    await waitFor(
      'the late version consumed',
      () =>
        svc.dataSource.query<{ n: string }[]>(
          `SELECT count(*) AS n FROM intake.inbox WHERE event_id = ANY($1::uuid[])`,
          [late.map((m) => m.headers['ce_id'])],
        ),
      (rows) => Number(rows[0]?.n) === 1,
    );
    expect(await projected(true)()).toBe(true);
    expect(await admit()).toBe(201);
    // A newer inactive version closes it.
    await svc.publish(
      track(
        trackId,
        world.siteA,
        LevelOfCare.IntensiveOutpatient,
        Population.Adult,
        false,
        new Date(now + 1),
      ),
    );
    await waitFor('the track closed', projected(false), (ok) => ok);
    expect(await admit()).toBe(422);
  });
});

describe('concurrent admissions of one client', () => {
  it('open exactly one episode; the others answer 409', async () => {
    const client = await newClient();
    const results = await Promise.all(
      [0, 1, 2, 3].map(() =>
        post(`/v1/clients/${client}/admissions`, admissionBody(world.siteA, world.adultIopA)),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    const episodes = await svc.dataSource.query(`SELECT 1 FROM intake.episodes WHERE client_id = $1`, [
      client,
    ]);
    expect(episodes).toHaveLength(1);
    const admitted = (await outboxEvents(svc, 'ClientAdmitted')).filter(
      (e) => e.payload['clientId'] === client,
    );
    expect(admitted).toHaveLength(1);
  });
});

describe('the API document', () => {
  it('describes every intake route in OpenAPI', async () => {
    const document = await http<{ paths: Record<string, unknown> }>(`${svc.url}/docs-json`);
    expect(document.status).toBe(200);
    expect(Object.keys(document.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/referrals',
        '/v1/clients/{clientId}/admissions',
        '/v1/clients/{clientId}/screenings',
        '/v1/clients/{clientId}/assessments',
        '/v1/reviews/{reviewId}/approve',
        '/v1/clients/{clientId}/consents',
        '/v1/internal/disclosure-checks',
        '/v1/internal/clients/{clientId}/contact',
        '/v1/plans/{planId}/signature',
        '/v1/episodes/{episodeId}/discharge',
      ]),
    );
  });
});

describe('events', () => {
  it('every event written validates against its contract and carries no PHI', async () => {
    expect(await expectCleanEvents(svc, CANARY_VALUES)).toBeGreaterThan(5);
  });

  it('reach the topic as written: decoded against the contract, no canary in any value or header', async () => {
    const written = await outboxEvents(svc);
    const records = await svc.readRecords(Topics.IntakeEvents, (r) => r.length >= written.length);
    const events = await svc.readEvents(Topics.IntakeEvents, (e) => e.length >= written.length);
    expect(events.map((e) => e.ceType).sort()).toEqual(written.map((e) => e.type).sort());
    for (const record of records) {
      const text = `${record.value} ${JSON.stringify(record.headers)}`.toLowerCase();
      for (const canary of CANARY_VALUES) expect(text).not.toContain(canary.toLowerCase());
    }
  });
});
