import { randomUUID } from 'node:crypto';
import {
  type ServiceApp,
  describeBadInput,
  expectProblem,
  http,
  startServiceApp,
  testTokens,
  waitFor,
} from '@stepwise/testing';
import {
  CANARY,
  CANARY_VALUES,
  admissionBody,
  clientBody,
  consentBody,
  newReferenceWorld,
} from '../testing/fixtures';
import { countRows, expectCleanEvents, outboxEvents, startIntake } from '../testing/harness';

/* Consents (42 CFR Part 2 §2.31), revocation, and the two internal routes the notifications service calls. */

const world = newReferenceWorld();
let svc: ServiceApp;
let coordinator: string;
let service: string;
let clientId: string;

type Json = Record<string, unknown>;

const grant = (body: Json, client = clientId) =>
  http<Json>(`${svc.url}/v1/clients/${client}/consents`, { token: coordinator, json: body });

const check = (body: Json, token = service) =>
  http<Json>(`${svc.url}/v1/internal/disclosure-checks`, { token, json: body });

const newClient = async (extra: Json = {}): Promise<string> =>
  String(
    (await http<Json>(`${svc.url}/v1/clients`, { token: coordinator, json: clientBody(world.siteA, extra) }))
      .body.id,
  );

beforeAll(async () => {
  svc = await startIntake(startServiceApp, 'intake_consents', world, waitFor);
  coordinator = await testTokens.valid({
    sub: randomUUID(),
    roles: ['intake-coordinator'],
    sites: [world.siteA],
  });
  service = await testTokens.valid({ sub: 'notifications', roles: ['service'], network: world.networkId });
  clientId = await newClient();
}, 120_000);

afterAll(async () => {
  await svc?.close();
});

describe('granting a consent', () => {
  it('stores every §2.31 element and publishes ConsentGranted without the recipient name', async () => {
    const recipientId = randomUUID();
    const result = await grant(consentBody(world.siteA, recipientId));
    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({
      recipient: { kind: 'family-member', id: recipientId, name: CANARY.recipientName },
      signature: { signedBy: 'client', signedOn: '2026-01-15' },
      rightToRevokeAcknowledged: true,
      revokedAt: null,
    });
    const [event] = (await outboxEvents(svc, 'ConsentGranted')).filter(
      (e) => e.payload['consentId'] === result.body.id,
    );
    expect(event?.payload).toEqual({
      consentId: result.body.id,
      clientId,
      recipient: { kind: 'family-member', id: recipientId },
      purposes: ['family-involvement'],
      informationCategories: ['attendance', 'schedule'],
      grantedAt: result.body.grantedAt,
      expiresAt: '2099-01-01T00:00:00.000Z',
    });
  });

  const elements: [string, Json][] = [
    ['disclosingProgramId', { disclosingProgramId: undefined }],
    ['informationCategories', { informationCategories: undefined }],
    ['informationCategories', { informationCategories: [] }],
    ['recipient', { recipient: undefined }],
    ['recipient.name', { recipient: { kind: 'family-member', id: randomUUID() } }],
    ['recipient.name', { recipient: { kind: 'provider-organization', id: randomUUID(), name: ' ' } }],
    ['purposes', { purposes: undefined }],
    ['purposes', { purposes: [] }],
    ['expiresAt', { expiresAt: undefined }],
    ['signature', { signature: undefined }],
    ['rightToRevokeAcknowledged', { rightToRevokeAcknowledged: undefined }],
    ['rightToRevokeAcknowledged', { rightToRevokeAcknowledged: false }],
  ];
  it.each(elements)('without %s (%j) answers 422 naming it, and writes nothing', async (field, change) => {
    const before = await countRows(svc, 'consents', 'outbox');
    const result = await grant(consentBody(world.siteA, randomUUID(), change));
    expectProblem(result, 422, 'consent-incomplete');
    expect(result.body['errors']).toEqual([
      { field, problems: [expect.stringContaining('42 CFR 2.31 requires')] },
    ]);
    expect(await countRows(svc, 'consents', 'outbox')).toBe(before);
  });

  it('names every missing element at once, the recipient name among them', async () => {
    const unnamed = await grant(
      consentBody(world.siteA, randomUUID(), {
        recipient: { kind: 'family-member', id: randomUUID() },
        signature: undefined,
      }),
    );
    expectProblem(unnamed, 422, 'consent-incomplete');
    expect((unnamed.body['errors'] as { field: string }[]).map((e) => e.field)).toEqual([
      'recipient.name',
      'signature',
    ]);
  });

  it('names every missing element of an empty consent at once', async () => {
    const result = await grant({});
    expectProblem(result, 422, 'consent-incomplete');
    expect((result.body['errors'] as { field: string }[]).map((e) => e.field)).toEqual([
      'disclosingProgramId',
      'informationCategories',
      'recipient',
      'purposes',
      'expiresAt',
      'signature',
      'rightToRevokeAcknowledged',
    ]);
  });

  it('refuses SUD counseling notes as a category of a general consent', async () => {
    const result = await grant(
      consentBody(world.siteA, randomUUID(), { informationCategories: ['sud-counseling-notes'] }),
    );
    expectProblem(result, 400, 'validation-failed');
  });
});

describe('the disclosure check', () => {
  const ask = (recipientId: string, change: Json = {}, client = clientId): Json => ({
    clientId: client,
    recipientKind: 'family-member',
    recipientId,
    category: 'attendance',
    purpose: 'family-involvement',
    ...change,
  });

  it('says yes with the consent id, and no with the reason otherwise', async () => {
    const recipientId = randomUUID();
    const consent = await grant(consentBody(world.siteA, recipientId));
    // Allowed with the terms every disclosure must carry: the scope and the redisclosure statement stored with it.
    expect((await check(ask(recipientId))).body).toEqual({
      allowed: true,
      consentId: consent.body.id,
      terms: {
        informationCategories: ['attendance', 'schedule'],
        purposes: ['family-involvement'],
        expiresAt: '2099-01-01T00:00:00.000Z',
        expiresOnEvent: null,
        redisclosure: consent.body.redisclosure,
      },
    });
    expect(consent.body.redisclosure).toEqual({
      version: 'redisclosure@2024',
      text: expect.stringContaining(
        'never for use in civil, criminal, administrative or legislative proceedings',
      ),
    });
    expect((await check(ask(randomUUID()))).body).toEqual({ allowed: false, reason: 'no-consent' });
    expect((await check(ask(recipientId, { category: 'drug-screens' }))).body).toEqual({
      allowed: false,
      reason: 'category-not-covered',
    });
    expect((await check(ask(recipientId, { purpose: 'payment' }))).body).toEqual({
      allowed: false,
      reason: 'purpose-not-covered',
    });
    expect((await check(ask(recipientId, { category: 'sud-counseling-notes' }))).body).toEqual({
      allowed: false,
      reason: 'counseling-notes-need-specific-consent',
    });
    const audit = await svc.dataSource.query<{ action: string; actor_kind: string }[]>(
      `SELECT action, actor_kind FROM intake.audit_log WHERE resource_type = 'disclosure' AND client_id = $1`,
      [clientId],
    );
    expect(audit.length).toBeGreaterThanOrEqual(5);
    expect(audit.every((a) => a.actor_kind === 'service')).toBe(true);
  });

  it('says no once the consent is revoked in writing (ConsentRevoked)', async () => {
    const recipientId = randomUUID();
    const consent = await grant(consentBody(world.siteA, recipientId));
    const revoked = await http<Json>(`${svc.url}/v1/consents/${String(consent.body.id)}/revocation`, {
      token: coordinator,
      json: { revokedBy: 'client', receivedOn: '2026-01-20' },
    });
    expect(revoked).toMatchObject({
      status: 200,
      body: { revokedBy: 'client', revocationReceivedOn: '2026-01-20' },
    });
    const [event] = (await outboxEvents(svc, 'ConsentRevoked')).filter(
      (e) => e.payload['consentId'] === consent.body.id,
    );
    expect(event?.payload).toEqual({
      consentId: consent.body.id,
      clientId,
      revokedAt: revoked.body.revokedAt,
    });
    expect((await check(ask(recipientId))).body).toEqual({ allowed: false, reason: 'consent-revoked' });
    expectProblem(
      await http(`${svc.url}/v1/consents/${String(consent.body.id)}/revocation`, {
        token: coordinator,
        json: { revokedBy: 'client', receivedOn: '2026-01-21' },
      }),
      409,
      'invalid-transition',
    );
  });

  it('says no once the consent expired, by date or by its discharge event', async () => {
    const byDate = randomUUID();
    const consent = await grant(consentBody(world.siteA, byDate));
    // Time passes: the expiry is moved into the past directly (the API only accepts future expiries).
    await svc.dataSource.query(
      `UPDATE intake.consents SET granted_at = now() - interval '2 days', expires_at = now() - interval '1 day' WHERE id = $1`,
      [consent.body.id],
    );
    expect((await check(ask(byDate))).body).toEqual({ allowed: false, reason: 'consent-expired' });

    const client = await newClient();
    const byEvent = randomUUID();
    const episode = await http<Json>(`${svc.url}/v1/clients/${client}/admissions`, {
      token: coordinator,
      json: admissionBody(world.siteA, world.adultIopA),
    });
    await grant(consentBody(world.siteA, byEvent, { expiresOnEvent: 'discharge' }), client);
    expect((await check(ask(byEvent, {}, client))).body).toMatchObject({ allowed: true });
    const supervisor = await testTokens.valid({
      sub: randomUUID(),
      roles: ['clinical-supervisor'],
      sites: [world.siteA],
    });
    const discharged = await http(`${svc.url}/v1/episodes/${String(episode.body.id)}/discharge`, {
      token: supervisor,
      json: { dischargedAt: new Date().toISOString(), reason: 'completed', referredTo: [] },
    });
    expect(discharged.status).toBe(200);
    expect((await check(ask(byEvent, {}, client))).body).toEqual({
      allowed: false,
      reason: 'consent-expired',
    });
  });

  it('is for service principals of the network only', async () => {
    expectProblem(await check(ask(randomUUID()), coordinator), 403, 'permission-denied');
    const elsewhere = await testTokens.valid({
      sub: 'notifications',
      roles: ['service'],
      network: randomUUID(),
    });
    expectProblem(await check(ask(randomUUID()), elsewhere), 404, 'not-found');
    expectProblem(await check(ask(randomUUID(), {}, randomUUID())), 404, 'not-found');
  });
});

describe('the contact lookup', () => {
  const contact = (client: string, channel: string, token = service) =>
    http<Json>(`${svc.url}/v1/internal/clients/${client}/contact?channel=${channel}`, { token });

  it('answers only the channel asked for, and audits it', async () => {
    expect((await contact(clientId, 'sms')).body).toEqual({
      channel: 'sms',
      address: CANARY.phone,
      timeZone: 'America/Chicago',
      preferredLanguage: 'en-US',
      displayName: CANARY.givenName,
    });
    const email = await contact(clientId, 'email');
    expect(email.body).toEqual(expect.objectContaining({ channel: 'email', address: CANARY.email }));
    expect(email.text).not.toContain(CANARY.phone);
    expect(email.text).not.toContain(CANARY.familyName);
    const audit = await svc.dataSource.query(
      `SELECT 1 FROM intake.audit_log WHERE action = 'contact' AND client_id = $1 AND actor_kind = 'service'`,
      [clientId],
    );
    expect(audit).toHaveLength(2);
  });

  it('answers 404 when the client has no contact on that channel, 400 for an unknown channel, 403 for staff', async () => {
    const noEmail = await newClient({ email: undefined });
    expectProblem(await contact(noEmail, 'email'), 404, 'contact-channel-missing');
    expectProblem(await contact(clientId, 'pigeon'), 400, 'validation-failed');
    expectProblem(await contact(clientId, 'sms', coordinator), 403, 'permission-denied');
    expectProblem(await contact(randomUUID(), 'sms'), 404, 'not-found');
  });
});

describe('the family-member contact lookup', () => {
  const familyContact = (recipientId: string, channel: string, client = clientId) =>
    http<Json>(
      `${svc.url}/v1/internal/clients/${client}/family-members/${recipientId}/contact?channel=${channel}`,
      {
        token: service,
      },
    );
  const recipient = (id: string) => ({
    kind: 'family-member',
    id,
    name: CANARY.recipientName,
    email: CANARY.recipientEmail,
  });

  it("answers a current consent's recipient on the channel asked for, in the client's time zone", async () => {
    const recipientId = randomUUID();
    await grant(consentBody(world.siteA, recipientId, { recipient: recipient(recipientId) }));
    expect((await familyContact(recipientId, 'email')).body).toEqual({
      channel: 'email',
      address: CANARY.recipientEmail,
      timeZone: 'America/Chicago',
      preferredLanguage: 'en-US',
      displayName: CANARY.recipientName,
    });
    expectProblem(await familyContact(recipientId, 'sms'), 404, 'contact-channel-missing');
    const audit = await svc.dataSource.query(
      `SELECT 1 FROM intake.audit_log WHERE resource_type = 'recipient' AND resource_id = $1`,
      [recipientId],
    );
    expect(audit).toHaveLength(2);
  });

  it('answers 404 once the consent is revoked, and for anyone no consent names', async () => {
    const recipientId = randomUUID();
    const consent = await grant(consentBody(world.siteA, recipientId, { recipient: recipient(recipientId) }));
    await http(`${svc.url}/v1/consents/${String(consent.body.id)}/revocation`, {
      token: coordinator,
      json: { revokedBy: 'client', receivedOn: '2026-01-20' },
    });
    expectProblem(await familyContact(recipientId, 'email'), 404, 'not-found');
    expectProblem(await familyContact(randomUUID(), 'email'), 404, 'not-found');
  });
});

describe('bad input', () => {
  let consentId = '';
  beforeAll(async () => {
    consentId = String((await grant(consentBody(world.siteA, randomUUID()))).body.id);
  });
  const all = consentBody(world.siteA, '0196a1b2-0000-7000-8000-0000000000aa');

  describeBadInput(
    {
      method: 'POST',
      get path() {
        return `/v1/clients/${clientId}/consents`;
      },
      validBody: all,
      optional: Object.keys(all),
      idempotent: true,
      extraCases: [
        { name: 'an empty object', json: {}, status: 422, code: 'consent-incomplete' },
        {
          name: 'an expiry in the past',
          json: { ...all, expiresAt: '2020-01-01T00:00:00Z' },
          status: 422,
          code: 'unprocessable',
        },
        {
          name: 'a signature in the future',
          json: { ...all, signature: { signedBy: 'client', signedOn: '2999-01-01' } },
          status: 422,
          code: 'unprocessable',
        },
        {
          name: 'an unknown signer',
          json: { ...all, signature: { signedBy: 'neighbour', signedOn: '2026-01-15' } },
          status: 400,
          code: 'validation-failed',
        },
        {
          name: 'an unknown recipient kind',
          json: { ...all, recipient: { kind: 'journalist', id: randomUUID() } },
          status: 400,
          code: 'validation-failed',
        },
        {
          name: 'an unknown purpose',
          json: { ...all, purposes: ['marketing'] },
          status: 400,
          code: 'validation-failed',
        },
        {
          name: 'a duplicate category',
          json: { ...all, informationCategories: ['attendance', 'attendance'] },
          status: 400,
          code: 'validation-failed',
        },
        {
          name: 'an unknown expiry event',
          json: { ...all, expiresOnEvent: 'never' },
          status: 400,
          code: 'validation-failed',
        },
        {
          name: 'a recipient phone that is not E.164',
          json: { ...all, recipient: { kind: 'family-member', id: randomUUID(), phone: '555' } },
          status: 400,
          code: 'validation-failed',
        },
      ],
    },
    () => ({ baseUrl: svc.url, token: coordinator, countWrites: () => countRows(svc, 'consents', 'outbox') }),
  );

  describeBadInput(
    {
      method: 'POST',
      get path() {
        return `/v1/consents/${consentId}/revocation`;
      },
      validBody: { revokedBy: 'client', receivedOn: '2026-01-20' },
      enums: ['revokedBy'],
      extraCases: [
        {
          name: 'a revocation dated in the future',
          json: { revokedBy: 'client', receivedOn: '2999-01-01' },
          status: 422,
          code: 'unprocessable',
        },
        {
          name: 'an unknown consent',
          path: `/v1/consents/${randomUUID()}/revocation`,
          json: { revokedBy: 'client', receivedOn: '2026-01-20' },
          status: 404,
          code: 'not-found',
        },
      ],
    },
    () => ({
      baseUrl: svc.url,
      token: coordinator,
      countWrites: async () =>
        (await countRows(svc, 'outbox')) + (await countRows(svc, 'consents WHERE revoked_at IS NOT NULL')),
    }),
  );

  describeBadInput(
    {
      method: 'POST',
      path: '/v1/internal/disclosure-checks',
      validBody: {
        clientId: '0196a1b2-0000-7000-8000-0000000000bb',
        recipientKind: 'payer',
        recipientId: randomUUID(),
        category: 'attendance',
        purpose: 'payment',
      },
      enums: ['recipientKind', 'category', 'purpose'],
    },
    () => ({ baseUrl: svc.url, token: service, countWrites: () => countRows(svc, 'outbox', 'consents') }),
  );
});

describe('events', () => {
  it('every event written validates against its contract and carries no PHI', async () => {
    expect(await expectCleanEvents(svc, CANARY_VALUES)).toBeGreaterThan(5);
  });
});
