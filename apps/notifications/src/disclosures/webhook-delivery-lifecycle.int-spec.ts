import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import {
  ConsentPurpose,
  InformationCategory,
  RecipientKind,
  encodeEvent,
  examplePayload,
} from '@stepwise/contracts';
import { type ServiceApp, http, metricValue, testTokens, waitFor } from '@stepwise/testing';
import { Webhook } from 'standardwebhooks';
import { FakePeers } from '../testing/fake-servers';
import { startWebhookService } from '../testing/webhook-service';

/**
 * A subscriber's receiver on loopback. It refuses (503) any delivery whose body names a client of `failFor`,
 * and keeps every request it answered, accepted or not. Events are told apart by their attendance ids, which
 * the body carries whatever its envelope.
 */
class Receiver {
  readonly requests: { body: string; headers: IncomingMessage['headers']; accepted: boolean }[] = [];
  readonly failFor = new Set<string>();
  /** Clients whose deliveries are refused for good (400: not retried). */
  readonly rejectFor = new Set<string>();
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const names = (clients: Set<string>): boolean => [...clients].some((client) => body.includes(client));
        const status = names(this.rejectFor) ? 400 : names(this.failFor) ? 503 : 200;
        this.requests.push({ body, headers: request.headers, accepted: status === 200 });
        response.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  /** Of `events` (attendance ids), those accepted, in the order they were accepted (repeats kept). */
  accepted(events: readonly string[]): string[] {
    return this.requests
      .filter((r) => r.accepted)
      .flatMap((r) => events.filter((event) => r.body.includes(event)));
  }

  /** Of `events`, those ever posted (accepted or refused), in order (repeats kept). */
  attempted(events: readonly string[]): string[] {
    return this.requests.flatMap((r) => events.filter((event) => r.body.includes(event)));
  }

  stop(): Promise<void> {
    return new Promise((resolve) =>
      this.server === undefined ? resolve() : this.server.close(() => resolve()),
    );
  }
}

const SITE = randomUUID();
const NETWORK = randomUUID();
const peers = new FakePeers();
const receiver = new Receiver();
let svc: ServiceApp;
let admin: string;
const startedAt = new Date(Date.now() - 60_000);

beforeAll(async () => {
  const peersUrl = await peers.start();
  await receiver.start();
  ({ svc, admin } = await startWebhookService({
    label: 'notif_webhook_order',
    peersUrl,
    site: SITE,
    network: NETWORK,
    env: {
      // Short backoff and enough attempts that a held-back client stays held until the test lets it through.
      WEBHOOK_RETRY_BASE_MS: '100',
      WEBHOOK_MAX_ATTEMPTS: '20',
      WEBHOOK_DISABLE_AFTER_FAILURES: '3',
    },
  }));
  // Start-up on a loaded shared machine (topics, migrations, the consumer joining its group) can take minutes:
  // a beforeAll that times out fails every test at once.
}, 240_000);
afterAll(async () => {
  await svc?.close();
  await Promise.all([peers.stop(), receiver.stop()]);
});

const api = (path: string, method = 'GET', json?: unknown) =>
  http<Record<string, unknown>>(`${svc.url}/v1/webhook-subscriptions${path}`, {
    method,
    token: admin,
    ...(json === undefined ? {} : { json }),
  });

/** A subscription (to SessionAttended unless told) registered by the network admin; its id and secret. */
async function subscribe(
  organisationId: string,
  eventTypes: readonly string[] = ['SessionAttended'],
): Promise<{ id: string; secret: string }> {
  const created = await api('', 'POST', {
    organisationId,
    recipientKind: 'provider-organization',
    purposes: ['care-coordination'],
    eventTypes,
    url: receiver.url,
  });
  expect(created.status).toBe(201);
  return created.body as { id: string; secret: string };
}

/** A client's consent to the organisation for attendance, granted on Kafka and known to intake; its id. */
async function consent(clientId: string, organisationId: string): Promise<string> {
  const data = {
    ...examplePayload('ConsentGranted'),
    consentId: randomUUID(),
    clientId,
    recipient: { kind: RecipientKind.ProviderOrganization, id: organisationId },
    purposes: [ConsentPurpose.CareCoordination],
    informationCategories: [InformationCategory.Attendance],
    grantedAt: '2025-01-01T00:00:00.000Z',
    expiresAt: '2099-01-01T00:00:00.000Z',
  };
  peers.grant(data);
  await svc.publish(encodeEvent('ConsentGranted', data));
  await waitFor(
    'the consent projected',
    () =>
      svc.dataSource.query(`SELECT 1 FROM notifications.consents WHERE consent_id = $1`, [data.consentId]),
    (rows) => rows.length === 1,
  );
  return data.consentId;
}

/** Revokes the consent on Kafka (and at intake) and waits until this service has heard of it. */
async function revoke(consentId: string, clientId: string, organisationId: string): Promise<void> {
  peers.revoke(clientId, organisationId);
  await svc.publish(
    encodeEvent('ConsentRevoked', {
      ...examplePayload('ConsentRevoked'),
      consentId,
      clientId,
      revokedAt: new Date().toISOString(),
    }),
  );
  await waitFor(
    'the revocation projected',
    () =>
      svc.dataSource.query(
        `SELECT 1 FROM notifications.consents WHERE consent_id = $1 AND revoked_at IS NOT NULL`,
        [consentId],
      ),
    (rows) => rows.length === 1,
  );
}

/** Admits the client at SITE and waits until this service has projected the episode. */
async function admit(clientId: string): Promise<void> {
  await svc.publish(
    encodeEvent('ClientAdmitted', { ...examplePayload('ClientAdmitted'), clientId, siteId: SITE }),
  );
  await waitFor(
    'the episode projected',
    () => svc.dataSource.query(`SELECT 1 FROM notifications.episodes WHERE client_id = $1`, [clientId]),
    (rows) => rows.length === 1,
  );
}

/** Publishes one SessionAttended of the client; its attendance id. */
async function attended(clientId: string): Promise<string> {
  const attendanceId = randomUUID();
  await svc.publish(
    encodeEvent('SessionAttended', {
      ...examplePayload('SessionAttended'),
      attendanceId,
      clientId,
      siteId: SITE,
    }),
  );
  return attendanceId;
}

const deliveries = (subscriptionId: string) =>
  svc.dataSource.query<{ status: string; reason: string | null; client_id: string }[]>(
    `SELECT status, reason, client_id FROM notifications.notifications WHERE subscription_id = $1 ORDER BY queue_seq`,
    [subscriptionId],
  );

const LONG = 60_000;

describe('webhook delivery order, catch-up and replay (service running: real Postgres, Kafka, Redis timers)', () => {
  it("holds a failing client's later events while another client's arrive, visibly in metrics; in order after recovery", async () => {
    const organisationId = randomUUID();
    const failing = randomUUID();
    const healthy = randomUUID();
    const subscription = await subscribe(organisationId);
    await consent(failing, organisationId);
    await consent(healthy, organisationId);
    receiver.failFor.add(failing);

    const events: Record<'failing' | 'healthy', string[]> = { failing: [], healthy: [] };
    for (let i = 0; i < 3; i += 1) {
      events.failing.push(await attended(failing));
      events.healthy.push(await attended(healthy));
    }
    const all = [...events.failing, ...events.healthy];

    // The healthy client's events all arrive, in order, while the failing client's first is retried with backoff.
    await waitFor(
      "the healthy client's events delivered and the failing head retried",
      () => Promise.resolve(receiver),
      (r) => r.accepted(all).length === 3 && r.attempted(events.failing).length >= 3,
      LONG,
    );
    expect(receiver.accepted(all)).toEqual(events.healthy);
    // Only the head was ever tried: the failing client's later events are held, not attempted.
    expect(new Set(receiver.attempted(events.failing))).toEqual(new Set([events.failing[0]]));
    const held = await waitFor(
      'the hold visible in the metrics',
      async () => (await http(`${svc.url}/metrics`)).text,
      (text) => metricValue(text, 'stepwise_webhook_deliveries_held') === 2,
    );
    expect(metricValue(held, 'stepwise_webhook_held_oldest_age_seconds')).toBeGreaterThanOrEqual(0);
    const listed = await api('');
    expect(listed.status).toBe(200);
    expect(
      (listed.body['items'] as Record<string, unknown>[]).find((s) => s['id'] === subscription.id),
    ).toMatchObject({
      status: 'active',
      pendingDeliveries: 3,
      heldDeliveries: 2,
    });
    expect(JSON.stringify(listed.body)).not.toContain(subscription.secret);

    receiver.failFor.delete(failing);
    await waitFor(
      "the failing client's events delivered after recovery",
      () => Promise.resolve(receiver),
      (r) => r.accepted(events.failing).length === 3,
      LONG,
    );
    expect(receiver.accepted(events.failing)).toEqual(events.failing);
    // The receiver answered before the service recorded the last one as sent: wait for that too.
    await waitFor(
      'every delivery recorded as sent',
      () => deliveries(subscription.id),
      (rows) => rows.length === 6 && rows.every((row) => row.status === 'sent'),
    );
    await waitFor(
      'no hold left',
      async () => metricValue((await http(`${svc.url}/metrics`)).text, 'stepwise_webhook_deliveries_held'),
      (value) => value === 0,
    );
  });

  it('re-enables a disabled subscription with catch-up: exactly the consented missed events, once each, in order', async () => {
    const organisationId = randomUUID();
    const kept = randomUUID();
    const revoked = randomUUID();
    const never = randomUUID();
    const subscription = await subscribe(organisationId);
    await consent(kept, organisationId);
    const revokedConsent = await consent(revoked, organisationId);
    expect((await api(`/${subscription.id}`, 'DELETE')).status).toBe(204);

    const missed = [
      await attended(kept),
      await attended(revoked),
      await attended(never),
      await attended(kept),
    ];
    await waitFor(
      'the missed deliveries recorded for the disabled subscription',
      () => deliveries(subscription.id),
      (rows) => rows.length === 3,
      LONG,
    );
    expect((await deliveries(subscription.id)).map((d) => [d.status, d.reason])).toEqual(
      Array(3).fill(['cancelled', 'subscription-disabled']),
    );
    await revoke(revokedConsent, revoked, organisationId);

    const enabled = await api(`/${subscription.id}/enable`, 'POST', { deliverMissed: true });
    expect(enabled).toMatchObject({
      status: 200,
      body: { status: 'active', catchUp: { kind: 'catch-up', queued: 2, withheld: 1 } },
    });
    await waitFor(
      'the missed events delivered',
      () => deliveries(subscription.id),
      (rows) => rows.filter((r) => r.status === 'sent').length === 2,
      LONG,
    );
    expect(receiver.accepted(missed)).toEqual([missed[0], missed[3]]);
    const accounted = await svc.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM notifications.disclosures WHERE recipient_id = $1`,
      [organisationId],
    );
    expect(accounted).toEqual([{ n: 2 }]);

    // Enabling an active subscription is refused; disabled and enabled again, nothing is delivered twice.
    expect(await api(`/${subscription.id}/enable`, 'POST', { deliverMissed: true })).toMatchObject({
      status: 409,
      body: { code: 'invalid-transition' },
    });
    expect((await api(`/${subscription.id}`, 'DELETE')).status).toBe(204);
    expect(await api(`/${subscription.id}/enable`, 'POST', { deliverMissed: true })).toMatchObject({
      status: 200,
      body: { catchUp: { queued: 0, withheld: 1 } },
    });
    expect(receiver.accepted(missed)).toEqual([missed[0], missed[3]]);
  });

  it('catches up a missed revocation: the notice that the consent ended is delivered although it has', async () => {
    const organisationId = randomUUID();
    const clientId = randomUUID();
    const subscription = await subscribe(organisationId, ['SessionAttended', 'ConsentRevoked']);
    await admit(clientId);
    const consentId = await consent(clientId, organisationId);
    expect((await api(`/${subscription.id}`, 'DELETE')).status).toBe(204);
    const session = await attended(clientId);
    await waitFor(
      'the missed session recorded',
      () => deliveries(subscription.id),
      (rows) => rows.length === 1,
      LONG,
    );
    await revoke(consentId, clientId, organisationId);
    await waitFor(
      'the missed revocation recorded',
      () => deliveries(subscription.id),
      (rows) => rows.length === 2,
      LONG,
    );

    expect(await api(`/${subscription.id}/enable`, 'POST', { deliverMissed: true })).toMatchObject({
      status: 200,
      body: { catchUp: { kind: 'catch-up', queued: 1, withheld: 1 } },
    });
    await waitFor(
      'the revocation delivered',
      () => deliveries(subscription.id),
      (rows) => rows.some((r) => r.status === 'sent'),
      LONG,
    );
    expect(receiver.accepted([consentId, session])).toEqual([consentId]);
  });

  it('catches up a subscription disabled after failures: the failed and the withheld events, in order, once each', async () => {
    const organisationId = randomUUID();
    const clientId = randomUUID();
    const subscription = await subscribe(organisationId);
    await consent(clientId, organisationId);
    receiver.rejectFor.add(clientId);
    const events: string[] = [];
    for (let i = 0; i < 4; i += 1) events.push(await attended(clientId));
    // Refused for good three times in a row (WEBHOOK_DISABLE_AFTER_FAILURES): disabled, the fourth withheld.
    await waitFor(
      'the subscription disabled after three failures',
      () => api(''),
      (page) =>
        (page.body['items'] as Record<string, unknown>[]).some(
          (s) =>
            s['id'] === subscription.id && s['status'] === 'disabled' && s['disabledReason'] === 'failures',
        ),
      LONG,
    );
    expect(receiver.attempted(events)).toEqual(events.slice(0, 3));
    events.push(await attended(clientId)); // missed while disabled
    await waitFor(
      'the fifth recorded as missed',
      () => deliveries(subscription.id),
      (rows) => rows.length === 5,
      LONG,
    );
    expect((await deliveries(subscription.id)).map((d) => d.status)).toEqual([
      'failed',
      'failed',
      'failed',
      'cancelled',
      'cancelled',
    ]);

    receiver.rejectFor.delete(clientId);
    expect(await api(`/${subscription.id}/enable`, 'POST', { deliverMissed: true })).toMatchObject({
      status: 200,
      body: { catchUp: { queued: 5, withheld: 0 } },
    });
    await waitFor(
      'the missed events delivered',
      () => Promise.resolve(receiver.accepted(events)),
      (accepted) => accepted.length === 5,
      LONG,
    );
    expect(receiver.accepted(events)).toEqual(events);
    await waitFor(
      'every delivery recorded as sent',
      () => deliveries(subscription.id),
      (rows) => rows.length === 5 && rows.every((row) => row.status === 'sent'),
    );
  });

  it('replays a time range under consent, signed with both secrets after a rotation; a revoked consent stops deliveries and replays at once', async () => {
    const organisationId = randomUUID();
    const clientId = randomUUID();
    const subscription = await subscribe(organisationId);
    const consentId = await consent(clientId, organisationId);
    const first = [await attended(clientId), await attended(clientId)];
    await waitFor(
      'the first events delivered',
      () => Promise.resolve(receiver.accepted(first)),
      (accepted) => accepted.length === 2,
      LONG,
    );

    const rotated = await api(`/${subscription.id}/secret-rotations`, 'POST', { overlapSeconds: 3600 });
    expect(rotated.status).toBe(201);
    const newSecret = rotated.body['secret'] as string;
    expect(newSecret).not.toBe(subscription.secret);

    const range = { from: startedAt.toISOString(), to: new Date(Date.now() + 60_000).toISOString() };
    const replay = await api(`/${subscription.id}/replays`, 'POST', range);
    expect(replay).toMatchObject({ status: 202, body: { kind: 'replay', queued: 2, withheld: 0 } });
    await waitFor(
      'the replay delivered',
      () => Promise.resolve(receiver.accepted(first)),
      (accepted) => accepted.length === 4,
      LONG,
    );
    expect(receiver.accepted(first)).toEqual([...first, ...first]);
    const replayed = receiver.requests.filter((r) => r.accepted && r.body.includes(first[1] ?? '')).at(-1);
    // Verified as a receiver verifies it, with the Standard Webhooks library: whichever secret it holds.
    const signatures = String(replayed?.headers['webhook-signature']).split(' ');
    expect(signatures).toHaveLength(2);
    for (const secret of [newSecret, subscription.secret])
      expect(
        new Webhook(secret).verify(replayed?.body ?? '', replayed?.headers as Record<string, string>),
      ).toMatchObject({ specversion: '1.0', type: 'care.sessions.SessionAttended.v1' });
    // Each replayed delivery is a disclosure of its own in the accounting (recorded once the answer came).
    await waitFor(
      'four disclosures accounted for',
      () =>
        svc.dataSource.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM notifications.disclosures WHERE recipient_id = $1`,
          [organisationId],
        ),
      (rows) => rows[0]?.n === 4,
    );

    // The receiver fails for the client: a new event is retried, and a replay queues behind it.
    receiver.failFor.add(clientId);
    const later = await attended(clientId);
    await waitFor(
      'the new event retried',
      () => Promise.resolve(receiver.attempted([later])),
      (attempts) => attempts.length >= 2,
      LONG,
    );
    expect(await api(`/${subscription.id}/replays`, 'POST', range)).toMatchObject({
      status: 202,
      body: { queued: 3, withheld: 0 },
    });
    await revoke(consentId, clientId, organisationId);
    receiver.failFor.delete(clientId);
    const sentBefore = receiver.accepted([...first, later]).length;
    await waitFor(
      'every pending delivery ended',
      () => deliveries(subscription.id),
      (rows) => rows.every((r) => !['queued', 'sending'].includes(r.status)),
      LONG,
    );
    expect(receiver.accepted([...first, later])).toHaveLength(sentBefore);
    expect((await deliveries(subscription.id)).slice(-4).map((d) => [d.status, d.reason])).toEqual(
      Array(4).fill(['suppressed', 'consent-revoked']),
    );
    expect(await api(`/${subscription.id}/replays`, 'POST', range)).toMatchObject({
      status: 202,
      body: { queued: 0, withheld: 3 },
    });
  });

  it('answers problem+json for bad lifecycle requests, another network and unknown subscriptions, changing nothing', async () => {
    const subscription = await subscribe(randomUUID());
    const other = await testTokens.valid({ roles: ['network-admin'], sites: [], network: randomUUID() });
    const counselor = await testTokens.valid({ roles: ['counselor'], sites: [SITE], network: NETWORK });
    const replays = `${svc.url}/v1/webhook-subscriptions/${subscription.id}/replays`;
    const cases: [string, Record<string, unknown>, string | undefined, number, string][] = [
      [
        'end before start',
        { from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' },
        admin,
        400,
        'validation-failed',
      ],
      [
        'impossible date',
        { from: '2026-02-30T00:00:00Z', to: '2026-03-01T00:00:00Z' },
        admin,
        400,
        'validation-failed',
      ],
      [
        'over 31 days',
        { from: '2026-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z' },
        admin,
        400,
        'validation-failed',
      ],
      [
        'an extra field',
        { from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z', subscriptionId: randomUUID() },
        admin,
        400,
        'validation-failed',
      ],
      [
        'another network',
        { from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' },
        other,
        404,
        'not-found',
      ],
      [
        'a counselor',
        { from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' },
        counselor,
        403,
        'permission-denied',
      ],
      [
        'no token',
        { from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' },
        undefined,
        401,
        'token-missing',
      ],
    ];
    for (const [name, json, token, status, code] of cases) {
      const answer = await http<Record<string, unknown>>(replays, {
        method: 'POST',
        json,
        ...(token === undefined ? {} : { token }),
      });
      expect([name, answer.status, answer.body['code']]).toEqual([name, status, code]);
      expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    expect(await api(`/${randomUUID()}/enable`, 'POST', { deliverMissed: true })).toMatchObject({
      status: 404,
    });
    expect(await api(`/${subscription.id}/enable`, 'POST', { deliverMissed: 'yes' })).toMatchObject({
      status: 400,
    });
    expect(await api(`/${subscription.id}/enable`, 'POST', {})).toMatchObject({ status: 400 });
    expect(await api(`/${subscription.id}/secret-rotations`, 'POST', { overlapSeconds: -1 })).toMatchObject({
      status: 400,
    });
    expect(await api(`/${subscription.id}/secret-rotations`, 'POST', { overlapSeconds: 1e9 })).toMatchObject({
      status: 400,
    });
    expect(
      await api(`/${subscription.id}/replays`, 'POST', {
        from: '2026-11-01T00:00:00Z',
        to: '2026-11-02T00:00:00Z',
      }),
    ).toMatchObject({ status: 202, body: { queued: 0 } });
    expect(
      await svc.dataSource.query(
        `SELECT kind FROM notifications.webhook_replays WHERE subscription_id = $1`,
        [subscription.id],
      ),
    ).toEqual([{ kind: 'replay' }]);
    const audit = await svc.dataSource.query<{ action: string; outcome: string }[]>(
      `SELECT action, outcome FROM notifications.audit_log WHERE resource_id = $1 ORDER BY occurred_at`,
      [subscription.id],
    );
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'replay', outcome: 'denied' },
        { action: 'replay', outcome: 'allowed' },
      ]),
    );
  });
});
