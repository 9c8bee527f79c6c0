import { randomUUID } from 'node:crypto';
import { type INestApplication } from '@nestjs/common';
import { runMigrations } from '@stepwise/platform';
import {
  type TestDatabase,
  authEnv,
  createTestDatabase,
  describeBadInput,
  droppingPort,
  expectProblem,
  http,
  kafkaBrokers,
  redisUrl,
  testTokens,
  waitFor,
} from '@stepwise/testing';
import { Client } from 'pg';
import Redis from 'ioredis';
import { type Page } from './pagination/page';
import { type ProbeView } from './test-app/probe.controller';
import { probeDatabase, startProbeApp } from './test-app/probe-app';

/*
 * The security baseline on a real running app (the probe app: platform + security modules exactly as a
 * service composes them, plus a small site-owned resource) against real Postgres, Redis and the local JWKS.
 */

const SITE_A = randomUUID();
const SITE_B = randomUUID();
const NETWORK = randomUUID();
const OTHER_NETWORK = randomUUID();
const CLIENT_A = randomUUID();
const CLIENT_B = randomUUID();

let db: TestDatabase;
let app: INestApplication;
let url: string;

async function sql<T = Record<string, unknown>>(
  connection: string,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: connection });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

const appDb = (): string => db.service('intake').url;
const ownerDb = (): string => db.service('intake').migrationUrl;
const count = async (table: string): Promise<number> =>
  Number((await sql<{ n: string }>(appDb(), `SELECT count(*) AS n FROM ${table}`))[0]?.n);

function baseEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: appDb(),
    KAFKA_BROKERS: kafkaBrokers().join(','),
    REDIS_URL: redisUrl(),
    LOG_LEVEL: 'warn',
    RATE_LIMIT_REQUESTS: '100000',
    ...authEnv(),
    ...overrides,
  };
}

async function startApp(
  overrides: Record<string, string> = {},
): Promise<{ app: INestApplication; url: string }> {
  const started = await startProbeApp(baseEnv(overrides));
  await waitFor(
    'the probe app to be ready',
    () => http(`${started.url}/health/ready`),
    (r) => r.status === 200,
  );
  return started;
}

const userA = {
  sub: `user-a-${randomUUID()}`,
  roles: ['intake-coordinator', 'counselor'] as const,
  sites: [SITE_A],
  network: NETWORK,
};
const userB = {
  sub: `user-b-${randomUUID()}`,
  roles: ['intake-coordinator'] as const,
  sites: [SITE_B],
  network: NETWORK,
};
const tokenA = (): Promise<string> => testTokens.valid({ ...userA, roles: [...userA.roles] });
const tokenB = (): Promise<string> => testTokens.valid({ ...userB, roles: [...userB.roles] });

const validProbe = (siteId: string, clientId: string): Record<string, unknown> => ({
  siteId,
  clientId,
  label: 'weekly check',
  kind: 'screening',
  observedOn: '2025-03-14',
});

async function createProbe(token: string, siteId: string, clientId: string): Promise<ProbeView> {
  const created = await http<ProbeView>(`${url}/v1/probes`, { token, json: validProbe(siteId, clientId) });
  expect(created.status).toBe(201);
  return created.body;
}

interface AuditRow {
  actor_id: string;
  actor_roles: string[];
  action: string;
  resource_type: string;
  resource_id: string | null;
  client_id: string | null;
  site_id: string | null;
  outcome: string;
  request_id: string | null;
  source_address: string | null;
}

const auditRows = (where: string, params: unknown[]): Promise<AuditRow[]> =>
  sql<AuditRow>(
    appDb(),
    `SELECT actor_id, actor_roles, action, resource_type, resource_id, client_id::text, site_id::text, outcome,
            request_id, host(source_address) AS source_address
       FROM audit_log WHERE ${where} ORDER BY occurred_at, id`,
    params,
  );

beforeAll(async () => {
  db = await createTestDatabase('security');
  await runMigrations(ownerDb(), 'intake', probeDatabase);
  ({ app, url } = await startApp());
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe('authentication', () => {
  const path = (): string => `${url}/v1/sites/${SITE_A}/probes`;

  it('serves a valid token', async () => {
    expect((await http(path(), { token: await tokenA() })).status).toBe(200);
  });

  it('answers a request without a token 401 token-missing with a Bearer challenge', async () => {
    const result = await http(path());
    expectProblem(result, 401, 'token-missing');
    expect(result.headers.get('www-authenticate')).toBe('Bearer realm="stepwise"');
  });

  it.each([
    ['Bearer not-a-jwt', 'token-malformed'],
    ['Basic dXNlcjpwYXNz', 'token-malformed'],
    ['Bearer a.b.c', 'token-malformed'],
  ] as const)('answers "Authorization: %s" 401 %s', async (header, code) => {
    expectProblem(await http(path(), { headers: { Authorization: header } }), 401, code);
  });

  it.each([
    ['expired', 'expired', 'token-expired'],
    ['not yet valid', 'notYetValid', 'token-not-yet-valid'],
    ['signed by another key', 'wrongSignature', 'token-signature-invalid'],
    ['from another issuer', 'wrongIssuer', 'token-issuer-invalid'],
    ['for another audience', 'wrongAudience', 'token-audience-invalid'],
    ['unsigned (alg: none)', 'algNone', 'token-algorithm-rejected'],
  ] as const)('answers a token %s 401 (%s → %s)', async (_what, kind, code) => {
    const token = await testTokens[kind]({ ...userA, roles: [...userA.roles] });
    expectProblem(await http(path(), { token }), 401, code);
  });

  it('refuses a correctly signed token whose claims have the wrong shape', async () => {
    const token = await testTokens.custom({ sub: 'u1', roles: ['counselor'], sites: ['site-a'] });
    expectProblem(await http(path(), { token }), 401, 'token-claims-invalid');
  });

  it('tolerates clocks that disagree by less than the configured skew (30 s), not more', async () => {
    const now = Math.floor(Date.now() / 1000);
    const justExpired = await testTokens.custom({
      ...userA,
      roles: [...userA.roles],
      now: now - 70,
      ttlSeconds: 60,
    });
    const longExpired = await testTokens.custom({
      ...userA,
      roles: [...userA.roles],
      now: now - 120,
      ttlSeconds: 60,
    });
    const almostValid = await testTokens.custom({
      ...userA,
      roles: [...userA.roles],
      notBeforeInSeconds: 10,
    });
    expect((await http(path(), { token: justExpired })).status).toBe(200);
    expect((await http(path(), { token: almostValid })).status).toBe(200);
    expectProblem(await http(path(), { token: longExpired }), 401, 'token-expired');
  });

  it('answers 503 auth-unavailable, not 401, while the JWKS cannot be reached', async () => {
    const dead = await droppingPort();
    const other = await startApp({ AUTH_JWKS_URL: `http://127.0.0.1:${dead.port}/.well-known/jwks.json` });
    try {
      const result = await http(`${other.url}/v1/sites/${SITE_A}/probes`, { token: await tokenA() });
      expectProblem(result, 503, 'auth-unavailable');
      expect(result.headers.get('retry-after')).toBe('5');
    } finally {
      await other.app.close();
      await dead.close();
    }
  });

  it('keeps operational endpoints and the API docs public', async () => {
    expect((await http(`${url}/health/live`)).status).toBe(200);
    const docs = await http<{ paths: Record<string, unknown> }>(`${url}/docs-json`);
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/probes',
        '/v1/probes/{id}',
        '/v1/sites/{siteId}/probes',
        '/v1/audit/clients/{clientId}/entries',
      ]),
    );
    expect((await http(`${url}/docs`)).text).toContain('swagger');
  });
});

describe('authorization', () => {
  it("answers 403 permission-denied when the token's roles lack the route's permission", async () => {
    const billing = await testTokens.valid({ roles: ['billing'], sites: [SITE_A] });
    const result = await http(`${url}/v1/sites/${SITE_A}/probes`, { token: billing });
    expectProblem(result, 403, 'permission-denied');
  });

  it('ignores roles it does not know', async () => {
    const token = await testTokens.valid({ roles: [], sites: [SITE_A] });
    expectProblem(await http(`${url}/v1/sites/${SITE_A}/probes`, { token }), 403, 'permission-denied');
  });
});

describe('site scoping', () => {
  let recordB: ProbeView;

  beforeAll(async () => {
    recordB = await createProbe(await tokenB(), SITE_B, CLIENT_B);
  });

  const deniedFor = (actor: string, action: string): Promise<AuditRow[]> =>
    auditRows(`actor_id = $1 AND outcome = 'denied' AND action = $2`, [actor, action]);

  it("answers 404 to site A's user reading site B's record, and audits the attempt", async () => {
    const result = await http(`${url}/v1/probes/${recordB.id}`, { token: await tokenA() });
    expectProblem(result, 404, 'not-found');
    expect(await deniedFor(userA.sub, 'read')).toEqual([
      expect.objectContaining({
        actor_roles: [...userA.roles],
        resource_type: 'probe',
        resource_id: recordB.id,
        client_id: CLIENT_B,
        site_id: SITE_B,
        request_id: result.headers.get('x-request-id'),
        source_address: '127.0.0.1',
      }),
    ]);
  });

  it("answers 404 to site A's user changing site B's record, leaves it unchanged, and audits", async () => {
    const result = await http(`${url}/v1/probes/${recordB.id}`, {
      method: 'PATCH',
      token: await tokenA(),
      json: { label: 'taken over' },
    });
    expectProblem(result, 404, 'not-found');
    expect(
      (
        await sql<{ label: string }>(appDb(), 'SELECT label FROM probe_records WHERE id = $1', [recordB.id])
      )[0]?.label,
    ).toBe('weekly check');
    expect(await deniedFor(userA.sub, 'update')).toHaveLength(1);
  });

  it("answers 404 to site A's user listing site B's records, and audits", async () => {
    expectProblem(
      await http(`${url}/v1/sites/${SITE_B}/probes`, { token: await tokenA() }),
      404,
      'not-found',
    );
    expect(await deniedFor(userA.sub, 'clients.read')).toEqual([
      expect.objectContaining({ resource_type: 'site', resource_id: SITE_B, site_id: SITE_B }),
    ]);
  });

  it("answers 404 to site A's user creating a record at site B, writes nothing, and audits", async () => {
    const before = await count('probe_records');
    const result = await http(`${url}/v1/probes`, {
      token: await tokenA(),
      json: validProbe(SITE_B, CLIENT_A),
    });
    expectProblem(result, 404, 'not-found');
    expect(await count('probe_records')).toBe(before);
    expect(await deniedFor(userA.sub, 'clients.write')).toHaveLength(1);
  });

  it('serves the same routes to a user of the record site', async () => {
    const token = await tokenB();
    expect((await http(`${url}/v1/probes/${recordB.id}`, { token })).status).toBe(200);
    const listed = await http<Page<ProbeView>>(`${url}/v1/sites/${SITE_B}/probes`, {
      token: await testTokens.valid({ roles: ['counselor'], sites: [SITE_B] }),
    });
    expect(listed.body.items.map((p) => p.id)).toContain(recordB.id);
  });

  it("lets a network-admin reach any site of its network, and no other network's", async () => {
    const ours = await testTokens.valid({
      sub: `na-${randomUUID()}`,
      roles: ['counselor', 'network-admin'],
      network: NETWORK,
    });
    const theirs = await testTokens.valid({
      sub: `na-${randomUUID()}`,
      roles: ['counselor', 'network-admin'],
      network: OTHER_NETWORK,
    });
    expect((await http(`${url}/v1/probes/${recordB.id}`, { token: ours })).status).toBe(200);
    expectProblem(await http(`${url}/v1/probes/${recordB.id}`, { token: theirs }), 404, 'not-found');
  });

  it('answers 404 without a denied entry for an id that does not exist, and 400 for one that is not a UUID', async () => {
    const before = await count('audit_log');
    expectProblem(
      await http(`${url}/v1/probes/${randomUUID()}`, { token: await tokenA() }),
      404,
      'not-found',
    );
    expectProblem(
      await http(`${url}/v1/probes/not-a-uuid`, { token: await tokenA() }),
      400,
      'validation-failed',
    );
    expect(await count('audit_log')).toBe(before);
  });
});

describe('audit trail', () => {
  it('records each read, change and creation with actor, roles, client, site, outcome, request id and address', async () => {
    const token = await tokenA();
    const created = await http<ProbeView>(`${url}/v1/probes`, { token, json: validProbe(SITE_A, CLIENT_A) });
    const read = await http(`${url}/v1/probes/${created.body.id}`, { token });
    const changed = await http(`${url}/v1/probes/${created.body.id}`, {
      method: 'PATCH',
      token,
      json: { label: 'renamed' },
    });
    expect([created.status, read.status, changed.status]).toEqual([201, 200, 200]);
    expect(changed.body).toMatchObject({ id: created.body.id, label: 'renamed' });
    const rows = await auditRows(`resource_id = $1`, [created.body.id]);
    expect(rows).toEqual(
      [
        ['create', created],
        ['read', read],
        ['update', changed],
      ].map(([action, response]) =>
        expect.objectContaining({
          actor_id: userA.sub,
          actor_roles: [...userA.roles],
          action,
          resource_type: 'probe',
          client_id: CLIENT_A,
          site_id: SITE_A,
          outcome: 'allowed',
          request_id: (response as { headers: Headers }).headers.get('x-request-id'),
          source_address: '127.0.0.1',
        }),
      ),
    );
  });

  it('keeps the caller-supplied X-Request-Id as the correlation id', async () => {
    const requestId = `support-${randomUUID()}`;
    const result = await http(`${url}/v1/sites/${SITE_A}/probes`, {
      token: await tokenA(),
      headers: { 'X-Request-Id': requestId },
    });
    expect(result.headers.get('x-request-id')).toBe(requestId);
    expect(await auditRows('request_id = $1', [requestId])).toHaveLength(1);
  });

  it('cannot be changed by the application role: UPDATE, DELETE and TRUNCATE fail in the database', async () => {
    for (const statement of [
      "UPDATE audit_log SET outcome = 'allowed'",
      'DELETE FROM audit_log',
      'TRUNCATE audit_log',
    ]) {
      await expect(sql(appDb(), statement)).rejects.toMatchObject({ code: '42501' });
    }
    expect(await count('audit_log')).toBeGreaterThan(0);
  });

  it('cannot be rewritten by the schema owner either (trigger)', async () => {
    await expect(sql(ownerDb(), "UPDATE intake.audit_log SET outcome = 'allowed'")).rejects.toMatchObject({
      message: expect.stringContaining('append-only'),
    });
    await expect(sql(ownerDb(), 'DELETE FROM intake.audit_log')).rejects.toMatchObject({
      message: expect.stringContaining('append-only'),
    });
  });

  it('refuses free text in its columns', async () => {
    await expect(
      sql(
        appDb(),
        `INSERT INTO audit_log (actor_id, actor_kind, actor_roles, action, resource_type, outcome)
         VALUES ('u', 'user', '{}', 'read the notes of Jane Doe', 'client', 'allowed')`,
      ),
    ).rejects.toMatchObject({ code: '23514' });
  });

  describe('listing for auditors', () => {
    const CLIENT = randomUUID();
    const auditorA = (): Promise<string> =>
      testTokens.valid({ sub: `auditor-${randomUUID()}`, roles: ['auditor'], sites: [SITE_A] });
    const range = (from: string, to: string, extra = ''): string =>
      `${url}/v1/audit/clients/${CLIENT}/entries?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}${extra}`;
    const wide = (extra = ''): string => range('2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z', extra);

    beforeAll(async () => {
      const token = await tokenA();
      const created = await http<ProbeView>(`${url}/v1/probes`, { token, json: validProbe(SITE_A, CLIENT) });
      await http(`${url}/v1/probes/${created.body.id}`, { token });
      await http(`${url}/v1/probes/${created.body.id}`, { token });
      // The same client at site B: an auditor of site A must not see it.
      await createProbe(await tokenB(), SITE_B, CLIENT);
    });

    it("lists the client's entries of the auditor's sites, oldest first, a page at a time", async () => {
      const token = await auditorA();
      const first = await http<
        Page<{ action: string; siteId: string; clientId: string; occurredAt: string }>
      >(wide('&limit=2'), { token });
      expect(first.status).toBe(200);
      expect(first.body.items.map((e) => e.action)).toEqual(['create', 'read']);
      expect(first.body.nextCursor).not.toBeNull();
      const second = await http<Page<{ action: string; siteId: string }>>(
        wide(`&limit=2&cursor=${first.body.nextCursor ?? ''}`),
        { token },
      );
      expect(second.body).toEqual({
        items: [expect.objectContaining({ action: 'read', siteId: SITE_A })],
        nextCursor: null,
      });
      expect(
        [...first.body.items, ...second.body.items].every((e) => (e as { siteId: string }).siteId === SITE_A),
      ).toBe(true);
    });

    it('limits the listing to the time range', async () => {
      const token = await auditorA();
      const past = await http<Page<unknown>>(range('2000-01-01T00:00:00Z', '2001-01-01T00:00:00Z'), {
        token,
      });
      expect(past.body).toEqual({ items: [], nextCursor: null });
    });

    it('audits the listing itself', async () => {
      const auditor = `auditor-${randomUUID()}`;
      await http(wide(), {
        token: await testTokens.valid({ sub: auditor, roles: ['auditor'], sites: [SITE_A] }),
      });
      expect(await auditRows('actor_id = $1', [auditor])).toEqual([
        expect.objectContaining({
          action: 'list',
          resource_type: 'audit-entry',
          client_id: CLIENT,
          outcome: 'allowed',
        }),
      ]);
    });

    it('refuses non-auditors, reversed ranges, dates without offset and tampered cursors', async () => {
      const token = await auditorA();
      expectProblem(await http(wide(), { token: await tokenA() }), 403, 'permission-denied');
      expectProblem(
        await http(range('2025-02-01T00:00:00Z', '2025-01-01T00:00:00Z'), { token }),
        400,
        'validation-failed',
      );
      expectProblem(
        await http(range('2025-01-01T00:00:00', '2025-02-01T00:00:00Z'), { token }),
        400,
        'validation-failed',
      );
      expectProblem(
        await http(range('2025-02-30T00:00:00Z', '2025-03-01T00:00:00Z'), { token }),
        400,
        'validation-failed',
      );
      const forged = Buffer.from(JSON.stringify({ v: 1, k: ["'; DROP TABLE audit_log; --", 'x'] })).toString(
        'base64url',
      );
      expectProblem(await http(wide(`&cursor=${forged}`), { token }), 400, 'invalid-cursor');
    });
  });
});

describe('HTTP conventions', () => {
  it('never takes server-controlled fields from the body: over-posting is refused and writes nothing', async () => {
    const token = await tokenA();
    for (const [field, value] of [
      ['id', randomUUID()],
      ['networkId', OTHER_NETWORK],
      ['createdBy', 'someone-else'],
      ['createdAt', '2000-01-01T00:00:00Z'],
      ['status', 'approved'],
    ] as const) {
      const before = await count('probe_records');
      const result = await http(`${url}/v1/probes`, {
        token,
        json: { ...validProbe(SITE_A, CLIENT_A), [field]: value },
      });
      expectProblem(result, 400, 'validation-failed');
      expect((result.body as { errors: { problems: string[] }[] }).errors[0]?.problems).toEqual([
        `property ${field} should not exist`,
      ]);
      expect(await count('probe_records')).toBe(before);
    }
    const created = await http<ProbeView>(`${url}/v1/probes`, { token, json: validProbe(SITE_A, CLIENT_A) });
    expect(created.body).toMatchObject({ networkId: NETWORK, createdBy: userA.sub, status: 'open' });
  });

  it('answers a 101 KB body 413 and a 40-level body 400, writing nothing', async () => {
    const token = await tokenA();
    const before = await count('probe_records');
    const big = await http(`${url}/v1/probes`, {
      token,
      json: { ...validProbe(SITE_A, CLIENT_A), label: 'x'.repeat(101 * 1024) },
    });
    expectProblem(big, 413, 'body-too-large');
    let deep: unknown = 'x';
    for (let i = 0; i < 40; i += 1) deep = { deep };
    expectProblem(
      await http(`${url}/v1/probes`, { token, json: { ...validProbe(SITE_A, CLIENT_A), deep } }),
      400,
      'body-too-deep',
    );
    expect(await count('probe_records')).toBe(before);
  });

  it('answers unknown routes 404 route-not-found in problem+json', async () => {
    expectProblem(await http(`${url}/v1/nothing-here`, { token: await tokenA() }), 404, 'route-not-found');
  });

  it('answers an unexpected failure 500 internal-error without detail or stack trace', async () => {
    const result = await http(`${url}/v1/probe-contacts`, {
      token: await tokenA(),
      json: {
        siteId: SITE_A,
        firstName: 'Probe',
        lastName: 'Person',
        dateOfBirth: '1980-01-01',
        phone: '000',
        email: 'x',
        address: { street: 's', city: 'c', postalCode: 'p' },
        note: 'n',
        mode: 'throw',
      },
    });
    expectProblem(result, 500, 'internal-error');
    expect(result.body).not.toHaveProperty('detail');
  });

  it('sends security headers and, with no CORS_ORIGINS, no CORS headers', async () => {
    const result = await http(`${url}/v1/sites/${SITE_A}/probes`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example.org', 'Access-Control-Request-Method': 'GET' },
    });
    expect(result.headers.get('access-control-allow-origin')).toBeNull();
    const normal = await http(`${url}/health/live`);
    expect(normal.headers.get('x-content-type-options')).toBe('nosniff');
    expect(normal.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(normal.headers.get('x-powered-by')).toBeNull();
  });

  describe('pagination', () => {
    const SITE = randomUUID();
    const token = (): Promise<string> =>
      testTokens.valid({ roles: ['intake-coordinator', 'counselor'], sites: [SITE] });

    beforeAll(async () => {
      for (let i = 0; i < 3; i += 1) await createProbe(await token(), SITE, randomUUID());
    });

    it('pages with a capped limit and an opaque cursor, one shape for every list', async () => {
      const first = await http<Page<ProbeView>>(`${url}/v1/sites/${SITE}/probes?limit=2`, {
        token: await token(),
      });
      expect(first.body.items).toHaveLength(2);
      const rest = await http<Page<ProbeView>>(
        `${url}/v1/sites/${SITE}/probes?limit=2&cursor=${first.body.nextCursor ?? ''}`,
        {
          token: await token(),
        },
      );
      expect(rest.body.items).toHaveLength(1);
      expect(rest.body.nextCursor).toBeNull();
      const ids = [...first.body.items, ...rest.body.items].map((p) => p.id);
      expect(new Set(ids).size).toBe(3);
    });

    it.each(['0', '-1', '1000000000', 'ten'])('refuses limit=%s', async (limit) => {
      expectProblem(
        await http(`${url}/v1/sites/${SITE}/probes?limit=${limit}`, { token: await token() }),
        400,
        'validation-failed',
      );
    });

    it('refuses a cursor it did not issue', async () => {
      const forged = Buffer.from('{"v":1,"k":[1]}').toString('base64url');
      expectProblem(
        await http(`${url}/v1/sites/${SITE}/probes?cursor=${forged}`, { token: await token() }),
        400,
        'invalid-cursor',
      );
    });
  });
});

describe('Idempotency-Key', () => {
  const post = async (key: string, body: Record<string, unknown>, token?: string) =>
    http<ProbeView>(`${url}/v1/probes`, {
      token: token ?? (await tokenA()),
      json: body,
      headers: { 'Idempotency-Key': key },
    });

  it('replays the first response to a retry with the same key and body, creating one record', async () => {
    const key = randomUUID();
    const before = await count('probe_records');
    const first = await post(key, validProbe(SITE_A, CLIENT_A));
    const retry = await post(key, { ...validProbe(SITE_A, CLIENT_A) });
    expect(first.status).toBe(201);
    expect({ status: retry.status, body: retry.body }).toEqual({ status: 201, body: first.body });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await count('probe_records')).toBe(before + 1);
  });

  it('answers the same key with a different body 409 idempotency-key-reused, writing nothing', async () => {
    const key = randomUUID();
    await post(key, validProbe(SITE_A, CLIENT_A));
    const before = await count('probe_records');
    expectProblem(
      await post(key, { ...validProbe(SITE_A, CLIENT_A), label: 'another' }),
      409,
      'idempotency-key-reused',
    );
    expect(await count('probe_records')).toBe(before);
  });

  it('keeps keys per principal', async () => {
    const key = randomUUID();
    const before = await count('probe_records');
    await post(key, validProbe(SITE_A, CLIENT_A));
    const other = await testTokens.valid({
      sub: `other-${randomUUID()}`,
      roles: ['intake-coordinator'],
      sites: [SITE_A],
    });
    expect(
      (await post(key, validProbe(SITE_A, CLIENT_A), other)).headers.get('idempotent-replayed'),
    ).toBeNull();
    expect(await count('probe_records')).toBe(before + 2);
  });

  it('runs concurrent requests with one key once', async () => {
    const key = randomUUID();
    const before = await count('probe_records');
    const token = await tokenA();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => post(key, validProbe(SITE_A, CLIENT_A), token)),
    );
    expect(await count('probe_records')).toBe(before + 1);
    for (const result of results) {
      if (result.status === 201)
        expect(result.body.id).toBe(
          results.find((r) => r.headers.get('idempotent-replayed') === null && r.status === 201)?.body.id,
        );
      else expectProblem(result, 409, 'idempotency-request-in-progress');
    }
  });

  it('takes an expired key afresh: the request runs again, with another body, instead of being replayed', async () => {
    const key = randomUUID();
    const first = await post(key, validProbe(SITE_A, CLIENT_A));
    await sql(
      appDb(),
      `UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = $1`,
      [key],
    );
    const before = await count('probe_records');
    const again = await post(key, { ...validProbe(SITE_A, CLIENT_A), label: 'another' });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(again.body.id).not.toBe(first.body.id);
    expect(await count('probe_records')).toBe(before + 1);
    // And the key is in force again, for the new request.
    const retry = await post(key, { ...validProbe(SITE_A, CLIENT_A), label: 'another' });
    expect({ status: retry.status, replayed: retry.headers.get('idempotent-replayed') }).toEqual({
      status: 201,
      replayed: 'true',
    });
  });

  it('releases the key of a failed request, so a corrected retry may use it', async () => {
    const key = randomUUID();
    expectProblem(
      await post(key, { ...validProbe(SITE_A, CLIENT_A), kind: 'unknown' }),
      400,
      'validation-failed',
    );
    expect(await sql(appDb(), 'SELECT 1 FROM idempotency_keys WHERE key = $1', [key])).toEqual([]);
  });

  it('refuses a malformed key', async () => {
    expectProblem(
      await post('has spaces in it', validProbe(SITE_A, CLIENT_A)),
      400,
      'idempotency-key-invalid',
    );
  });
});

describeBadInput(
  {
    method: 'POST',
    path: '/v1/probes',
    validBody: validProbe(SITE_A, CLIENT_A),
    enums: ['kind'],
    idempotent: true,
    extraCases: [
      { name: "another site's id", json: validProbe(SITE_B, CLIENT_A), status: 404, code: 'not-found' },
      {
        name: 'a site id that is not a UUID',
        json: validProbe('site-a', CLIENT_A),
        status: 400,
        code: 'validation-failed',
      },
    ],
  },
  () => ({ baseUrl: url, token: tokenCache.a, countWrites: () => count('probe_records') }),
);

describeBadInput(
  {
    method: 'PATCH',
    path: '/v1/probes/00000000-0000-4000-8000-000000000000',
    validBody: { label: 'renamed' },
  },
  () => ({ baseUrl: url, token: tokenCache.a, countWrites: () => count('probe_records') }),
);

/** Tokens minted once for the bad-input suites, whose context is synchronous. */
const tokenCache = { a: '' };
beforeAll(async () => {
  tokenCache.a = await tokenA();
});

describe('rate limiting and CORS (an app configured with a small limit and one allowed origin)', () => {
  let limited: { app: INestApplication; url: string };
  const ORIGIN = 'https://staff.example.org';

  beforeAll(async () => {
    limited = await startApp({
      RATE_LIMIT_REQUESTS: '3',
      RATE_LIMIT_WINDOW_SECONDS: '60',
      CORS_ORIGINS: ORIGIN,
    });
  });
  afterAll(async () => {
    await limited.app.close();
  });

  it('answers 429 rate-limited with Retry-After past the limit, per principal, counted in Redis under a hashed key', async () => {
    const sub = `busy-${randomUUID()}`;
    const token = await testTokens.valid({ sub, roles: ['counselor'], sites: [SITE_A] });
    const path = `${limited.url}/v1/sites/${SITE_A}/probes`;
    for (let i = 0; i < 3; i += 1) expect((await http(path, { token })).status).toBe(200);
    const refused = await http(path, { token });
    expectProblem(refused, 429, 'rate-limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another principal has its own budget.
    expect(
      (await http(path, { token: await testTokens.valid({ roles: ['counselor'], sites: [SITE_A] }) })).status,
    ).toBe(200);
    const redis = new Redis(redisUrl());
    try {
      const keys = await redis.keys('stepwise:probe:*');
      expect(keys.some((k) => k.startsWith('stepwise:probe:{rate:'))).toBe(true);
      expect(keys.join(' ')).not.toContain(sub);
    } finally {
      redis.disconnect();
    }
  });

  it('does not count calls by services against a budget (their volume follows the event flow)', async () => {
    const token = await testTokens.valid({ sub: `svc-${randomUUID()}`, roles: ['service'] });
    const path = `${limited.url}/v1/sites/${SITE_A}/probes`;
    // Past the limit of 3, a person would get 429; a service is still answered (here: not permitted, 403).
    for (let i = 0; i < 5; i += 1) expectProblem(await http(path, { token }), 403, 'permission-denied');
  });

  it('allows the configured origin only', async () => {
    const preflight = (origin: string) =>
      http(`${limited.url}/v1/sites/${SITE_A}/probes`, {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'GET',
          'Access-Control-Request-Headers': 'authorization',
        },
      });
    expect((await preflight(ORIGIN)).headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(
      (await preflight('https://evil.example.org')).headers.get('access-control-allow-origin'),
    ).toBeNull();
  });
});

describe('client address behind a reverse proxy (TRUST_PROXY_HOPS)', () => {
  let proxied: { app: INestApplication; url: string };

  beforeAll(async () => {
    proxied = await startApp({ TRUST_PROXY_HOPS: '1' });
  });
  afterAll(async () => {
    await proxied.app.close();
  });

  /** The audited address of a denied read (site A's user, site B's record) that arrived with `forwardedFor`. */
  async function deniedReadThrough(baseUrl: string, forwardedFor: string): Promise<string | null> {
    const record = await createProbe(await tokenB(), SITE_B, CLIENT_B);
    const result = await http(`${baseUrl}/v1/probes/${record.id}`, {
      token: await tokenA(),
      headers: { 'X-Forwarded-For': forwardedFor },
    });
    expectProblem(result, 404, 'not-found');
    const [row] = await auditRows(`request_id = $1`, [result.headers.get('x-request-id')]);
    return row?.source_address ?? null;
  }

  it('audits the address the trusted proxy saw, not a hop the client added itself', async () => {
    // The client forged the first entry; the ingress appended the address it really came from.
    expect(await deniedReadThrough(proxied.url, '198.51.100.9, 203.0.113.7')).toBe('203.0.113.7');
  });

  it('ignores X-Forwarded-For by default: without a trusted proxy the direct peer is audited', async () => {
    expect(await deniedReadThrough(url, '203.0.113.7')).toBe('127.0.0.1');
  });
});
