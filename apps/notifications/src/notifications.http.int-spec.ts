import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { StaffRole, UrgentFlag, encodeEvent, examplePayload } from '@stepwise/contracts';
import {
  type ServiceApp,
  describeBadInput,
  http,
  infraVar,
  metricValue,
  startServiceApp,
  testTokens,
  waitFor,
} from '@stepwise/testing';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { notificationsDefinition } from './notifications.definition';
import { FakePeers, MailCatcher } from './testing/fake-servers';

const SITE = randomUUID();
const OTHER_SITE = randomUUID();
const NETWORK = randomUUID();
let svc: ServiceApp;
const peers = new FakePeers();
const mail = new MailCatcher();
let counselor: string;
let otherCounselor: string;
let networkAdmin: string;
const alertId = randomUUID();
/** Subscriptions of the network for the lifecycle routes' bad-input cases: one active, one disabled. */
const ACTIVE_SUBSCRIPTION = randomUUID();
const DISABLED_SUBSCRIPTION = randomUUID();

const count = async (table: string): Promise<number> =>
  Number((await svc.dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM ${table}`))[0]?.n);
/** What a lifecycle change writes (a refusal writes only a `denied` audit entry): its audit entry, a replay record, a secret rotated, a subscription enabled. */
const lifecycleWrites = async (): Promise<number> =>
  (await count(`notifications.audit_log WHERE outcome = 'allowed'`)) +
  (await count('notifications.webhook_replays')) +
  (await count(
    `notifications.webhook_subscriptions WHERE status = 'active' OR secret_rotated_at IS NOT NULL`,
  ));
const writes = async (): Promise<number> =>
  (await count('notifications.recipient_preferences')) +
  (await count('notifications.webhook_subscriptions')) +
  (await count('notifications.notification_log')) +
  (await count('notifications.outbox'));

beforeAll(async () => {
  // Intake and scheduling stand-ins that accept only service tokens the local identity really issued.
  const keys = createRemoteJWKSet(new URL(infraVar('AUTH_JWKS_URL')));
  peers.acceptToken = async (token) => {
    const { payload } = await jwtVerify(token, keys, {
      issuer: infraVar('AUTH_ISSUER'),
      audience: infraVar('AUTH_AUDIENCE'),
    });
    return payload.sub === 'notifications' && (payload['roles'] as string[]).includes('service');
  };
  const peersUrl = await peers.start();
  svc = await startServiceApp(notificationsDefinition, {
    label: 'notifications_http',
    envExample: join(__dirname, '../.env.example'),
    env: {
      TIMER_QUEUE_PREFIX: `t${randomUUID().slice(0, 8)}`,
      NOTIFICATION_SWEEP_INTERVAL_MS: '60000',
      INTAKE_URL: peersUrl,
      SCHEDULING_URL: peersUrl,
      AUTH_TOKEN_URL: infraVar('AUTH_TOKEN_URL'),
      AUTH_CLIENT_SECRET: infraVar('NOTIFICATIONS_CLIENT_SECRET'),
      SMTP_URL: await mail.start(),
    },
  });
  counselor = await testTokens.valid({ roles: ['counselor'], sites: [SITE], network: NETWORK });
  otherCounselor = await testTokens.valid({ roles: ['counselor'], sites: [OTHER_SITE], network: NETWORK });
  networkAdmin = await testTokens.valid({ roles: ['network-admin'], sites: [], network: NETWORK });
  await svc.dataSource.query(
    `INSERT INTO notifications.notifications (id, dedupe_key, kind, trigger_event_id, recipient_id, recipient_kind, site_id,
        status, due_at, requires_ack, urgent)
     VALUES ($1, $2, 'alert', $3, $4, 'staff', $5, 'sent', now(), true, true)`,
    [alertId, `alert:${alertId}`, randomUUID(), randomUUID(), SITE],
  );
  for (const [id, status] of [
    [ACTIVE_SUBSCRIPTION, 'active'],
    [DISABLED_SUBSCRIPTION, 'disabled'],
  ] as const)
    await svc.dataSource.query(
      `INSERT INTO notifications.webhook_subscriptions (id, network_id, organisation_id, recipient_kind, purposes,
          event_types, url, secret, status, created_by)
       VALUES ($1, $2, $3, 'payer', '{payment}', '{SessionAttended}', 'https://localhost/hooks', 'whsec_x', $4, 'test')`,
      [id, NETWORK, randomUUID(), status],
    );
});
afterAll(async () => {
  await svc?.close();
  await Promise.all([peers.stop(), mail.stop()]);
});

const preferences = {
  siteId: SITE,
  recipientKind: 'client',
  channels: ['sms', 'email'],
  quietHours: { start: '21:00', end: '08:00' },
  timeZone: 'America/Chicago',
  preferredLanguage: 'es',
  optedOut: false,
};

describe('notifications HTTP API and consumer (service running in-process)', () => {
  it('arms reminders from an AppointmentScheduled consumed from Kafka', async () => {
    const payload = {
      ...examplePayload('AppointmentScheduled'),
      appointmentId: randomUUID(),
      startsAt: new Date(Date.now() + 30 * 3_600_000).toISOString(),
      endsAt: new Date(Date.now() + 31 * 3_600_000).toISOString(),
    };
    await svc.publish(encodeEvent('AppointmentScheduled', payload));
    const rows = await waitFor(
      'two reminders armed',
      () =>
        svc.dataSource.query<{ status: string }[]>(
          `SELECT status FROM notifications.notifications WHERE appointment_id = $1`,
          [payload.appointmentId],
        ),
      (r) => r.length === 2,
    );
    expect(rows.map((r) => r.status)).toEqual(['queued', 'queued']);
  });

  it('sends an urgent alert consumed from Kafka to the counselor, whose contact scheduling gives for a service token the local identity issued', async () => {
    const counselorId = randomUUID();
    const clientId = randomUUID();
    peers.contacts.set(`staff:${counselorId}:email`, {
      address: 'counselor.on.call@example.test',
      timeZone: 'America/Chicago',
      preferredLanguage: 'en',
    });
    await svc.publish(
      encodeEvent('StaffMemberUpserted', {
        ...examplePayload('StaffMemberUpserted'),
        staffId: counselorId,
        networkId: NETWORK,
        siteIds: [SITE],
        roles: [StaffRole.Counselor],
        active: true,
      }),
      encodeEvent('ClientAdmitted', {
        ...examplePayload('ClientAdmitted'),
        clientId,
        siteId: SITE,
        primaryCounselorId: counselorId,
      }),
    );
    await waitFor(
      'the admission projected',
      () => svc.dataSource.query(`SELECT 1 FROM notifications.episodes WHERE client_id = $1`, [clientId]),
      (rows) => rows.length === 1,
    );
    await svc.publish(
      encodeEvent('ScreeningCompleted', {
        ...examplePayload('ScreeningCompleted'),
        clientId,
        siteId: SITE,
        urgentFlags: [UrgentFlag.SelfHarmRisk],
      }),
    );
    const [alert] = await waitFor(
      'the urgent alert sent',
      () =>
        svc.dataSource.query<{ status: string; channel: string }[]>(
          `SELECT status, channel FROM notifications.notifications WHERE client_id = $1 AND kind = 'alert'`,
          [clientId],
        ),
      (rows) => rows[0]?.status === 'sent',
      30_000,
    );
    expect(alert?.channel).toBe('email');
    expect(mail.mails.filter((m) => m.to.includes('counselor.on.call@example.test'))).toHaveLength(1);
    const lookup = peers.requests.find((q) => q.path === `/v1/internal/staff/${counselorId}/contact`);
    expect(lookup?.query).toBe('?channel=email');
    expect(peers.tokensIssued).toBe(0); // the token came from the local identity, not from the stand-in
    // What an operator's dashboard reads: the sent alert, by kind, channel and outcome.
    const { text } = await http(`${svc.url}/metrics`);
    expect(
      metricValue(text, 'stepwise_notifications_total', { kind: 'alert', channel: 'email', outcome: 'sent' }),
    ).toBe(1);
  });

  it('sets and reads preferences, audited; another site sees 404', async () => {
    const recipientId = randomUUID();
    const put = await http(`${svc.url}/v1/recipients/${recipientId}/preferences`, {
      method: 'PUT',
      token: counselor,
      json: preferences,
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      recipientId,
      channels: ['sms', 'email'],
      quietHours: { start: '21:00', end: '08:00' },
    });
    const got = await http(`${svc.url}/v1/recipients/${recipientId}/preferences`, { token: counselor });
    expect(got.body).toEqual(put.body);
    expect(
      (await http(`${svc.url}/v1/recipients/${recipientId}/preferences`, { token: otherCounselor })).status,
    ).toBe(404);
  });

  it('acknowledges an urgent alert once; another site cannot', async () => {
    expect(
      (
        await http(`${svc.url}/v1/alerts/${alertId}/acknowledgements`, {
          method: 'POST',
          token: otherCounselor,
          json: {},
        })
      ).status,
    ).toBe(404);
    const ack = await http(`${svc.url}/v1/alerts/${alertId}/acknowledgements`, {
      method: 'POST',
      token: counselor,
      json: {},
    });
    expect(ack.status).toBe(201);
    const [row] = await svc.dataSource.query<{ acknowledged_at: Date | null }[]>(
      `SELECT acknowledged_at FROM notifications.notifications WHERE id = $1`,
      [alertId],
    );
    expect(row?.acknowledged_at).not.toBeNull();
  });

  it('shows in the accounting of disclosures what each disclosure carried: channel, content hash, notice, scope', async () => {
    const clientId = randomUUID();
    const scope = {
      informationCategories: ['attendance'],
      purposes: ['family-involvement'],
      expiresAt: '2027-01-01T00:00:00.000Z',
      expiresOnEvent: null,
    };
    await svc.dataSource.query(
      `INSERT INTO notifications.disclosures (id, notification_id, client_id, site_id, recipient_kind, recipient_id,
          consent_id, purpose, category, event_type, notice_version, disclosed_at, channel, content_sha256,
          redisclosure_version, consent_scope)
       VALUES ($1, $2, $3, $4, 'family-member', $5, $6, 'family-involvement', 'attendance', 'SessionMissed',
          'part2-notice@2024', now(), 'sms', $7, 'redisclosure@2024', $8)`,
      [randomUUID(), randomUUID(), clientId, SITE, randomUUID(), randomUUID(), 'ab'.repeat(32), scope],
    );
    const auditor = await testTokens.valid({ roles: ['auditor'], sites: [SITE], network: NETWORK });
    const page = await http<{ items: Record<string, unknown>[] }>(
      `${svc.url}/v1/clients/${clientId}/disclosures`,
      { token: auditor },
    );
    expect(page.status).toBe(200);
    expect(page.body.items).toEqual([
      expect.objectContaining({
        channel: 'sms',
        contentSha256: 'ab'.repeat(32),
        noticeVersion: 'part2-notice@2024',
        redisclosureVersion: 'redisclosure@2024',
        consentScope: scope,
      }),
    ]);
  });

  it('registers a webhook subscriber (network admin only) and lists its deliveries', async () => {
    const body = {
      organisationId: randomUUID(),
      recipientKind: 'provider-organization',
      purposes: ['care-coordination'],
      eventTypes: ['SessionAttended'],
      // loopback over https: allowed outside production (NODE_ENV=test), and resolvable without a network.
      url: 'https://localhost/hooks',
    };
    expect(
      (await http(`${svc.url}/v1/webhook-subscriptions`, { method: 'POST', token: counselor, json: body }))
        .status,
    ).toBe(403);
    // A subscription receives its network's events only: an admin whose token names no network cannot make one.
    const withoutNetwork = await testTokens.valid({ roles: ['network-admin'], sites: [] });
    expect(
      await http(`${svc.url}/v1/webhook-subscriptions`, {
        method: 'POST',
        token: withoutNetwork,
        json: body,
      }),
    ).toMatchObject({ status: 403, body: { code: 'permission-denied' } });
    const created = await http(`${svc.url}/v1/webhook-subscriptions`, {
      method: 'POST',
      token: networkAdmin,
      json: body,
    });
    expect(created.status).toBe(201);
    const { id, secret } = created.body as { id: string; secret: string };
    expect(secret).toMatch(/^whsec_/);
    const page = await http(`${svc.url}/v1/webhook-subscriptions/${id}/deliveries`, { token: networkAdmin });
    expect(page.body).toEqual({ items: [], nextCursor: null });

    // Disabling ends deliveries; the subscription (and its log) stays. Idempotent; unknown ids are 404.
    const disable = (token: string, subscriptionId = id) =>
      http(`${svc.url}/v1/webhook-subscriptions/${subscriptionId}`, { method: 'DELETE', token });
    expect((await disable(counselor)).status).toBe(403);
    expect((await disable(networkAdmin)).status).toBe(204);
    expect((await disable(networkAdmin)).status).toBe(204);
    expect(await disable(networkAdmin, randomUUID())).toMatchObject({
      status: 404,
      body: { code: 'not-found' },
    });
    const [row] = await svc.dataSource.query<{ status: string }[]>(
      `SELECT status FROM notifications.webhook_subscriptions WHERE id = $1`,
      [id],
    );
    expect(row?.status).toBe('disabled');
    expect(
      (await http(`${svc.url}/v1/webhook-subscriptions/${id}/deliveries`, { token: networkAdmin })).status,
    ).toBe(200);
  });
});

describeBadInput(
  {
    method: 'PUT',
    path: `/v1/recipients/${randomUUID()}/preferences`,
    validBody: preferences,
    optional: ['quietHours', 'timeZone', 'preferredLanguage'],
    enums: ['recipientKind', 'timeZone', 'preferredLanguage'],
    extraCases: [
      { name: 'another site', json: { ...preferences, siteId: OTHER_SITE }, status: 404, code: 'not-found' },
      {
        name: 'an unknown channel',
        json: { ...preferences, channels: ['pigeon'] },
        status: 400,
        code: 'validation-failed',
      },
      {
        name: 'quiet hours 25:00',
        json: { ...preferences, quietHours: { start: '25:00', end: '08:00' } },
        status: 400,
      },
      {
        name: 'a malformed recipient id',
        path: '/v1/recipients/nope/preferences',
        json: preferences,
        status: 400,
      },
    ],
  },
  () => ({ baseUrl: svc.url, token: counselor, countWrites: writes }),
);

describeBadInput(
  {
    method: 'POST',
    path: `/v1/alerts/${alertId}/acknowledgements`,
    validBody: { seenVia: 'app' },
    optional: ['seenVia'],
    enums: ['seenVia'],
    extraCases: [
      {
        name: 'an unknown alert',
        path: `/v1/alerts/${randomUUID()}/acknowledgements`,
        json: {},
        status: 404,
        code: 'not-found',
      },
      { name: 'a malformed alert id', path: '/v1/alerts/nope/acknowledgements', json: {}, status: 400 },
    ],
  },
  () => ({ baseUrl: svc.url, token: counselor, countWrites: writes }),
);

describeBadInput(
  {
    method: 'POST',
    path: '/v1/webhook-subscriptions',
    validBody: {
      organisationId: randomUUID(),
      recipientKind: 'payer',
      purposes: ['payment'],
      eventTypes: ['SessionAttended'],
      url: 'https://localhost/payer-hooks',
    },
    enums: ['recipientKind', 'payloadFormat'],
    idempotent: true,
    extraCases: [
      {
        name: 'a fhir-r4 subscription to an event that changes no FHIR resource',
        json: {
          organisationId: randomUUID(),
          recipientKind: 'payer',
          purposes: ['payment'],
          eventTypes: ['SessionAttended', 'DrugScreenResulted'],
          url: 'https://localhost/payer-hooks',
          payloadFormat: 'fhir-r4',
        },
        status: 422,
        code: 'unprocessable',
      },
      {
        name: 'a family member as a system',
        json: {
          organisationId: randomUUID(),
          recipientKind: 'family-member',
          purposes: ['payment'],
          eventTypes: ['SessionAttended'],
          url: 'https://x.example.org',
        },
        status: 400,
      },
      {
        name: 'an event type that is not disclosable',
        json: {
          organisationId: randomUUID(),
          recipientKind: 'payer',
          purposes: ['payment'],
          eventTypes: ['NotificationSent'],
          url: 'https://x.example.org',
        },
        status: 400,
      },
      {
        name: 'a non-http URL',
        json: {
          organisationId: randomUUID(),
          recipientKind: 'payer',
          purposes: ['payment'],
          eventTypes: ['SessionAttended'],
          url: 'ftp://x.example.org',
        },
        status: 400,
      },
      ...(
        [
          ['plain http to a public host', 'http://hooks.example.org/x'],
          ['a private address', 'https://10.0.0.5/hooks'],
          ['the cloud metadata address', 'https://169.254.169.254/latest/meta-data'],
          ['a link-local IPv6 address', 'https://[fe80::1]/hooks'],
          ['an IPv4-mapped IPv6 address', 'https://[::ffff:a00:5]/hooks'],
          ['a CGNAT address', 'https://100.64.1.1/hooks'],
          ['a unique-local IPv6 address', 'https://[fd00::5]/hooks'],
        ] as const
      ).map(([name, url]) => ({
        name,
        json: {
          organisationId: randomUUID(),
          recipientKind: 'payer',
          purposes: ['payment'],
          eventTypes: ['SessionAttended'],
          url,
        },
        status: 422,
        code: 'webhook-destination-refused',
      })),
    ],
  },
  () => ({ baseUrl: svc.url, token: networkAdmin, countWrites: writes }),
);

for (const [path, validBody, optional, idempotent] of [
  [
    `/v1/webhook-subscriptions/${ACTIVE_SUBSCRIPTION}/replays`,
    { from: '2026-11-01T00:00:00Z', to: '2026-11-08T00:00:00Z' },
    [],
    true,
  ],
  [
    `/v1/webhook-subscriptions/${ACTIVE_SUBSCRIPTION}/secret-rotations`,
    { overlapSeconds: 3600 },
    ['overlapSeconds'],
    true,
  ],
  [`/v1/webhook-subscriptions/${DISABLED_SUBSCRIPTION}/enable`, { deliverMissed: false }, [], false],
] as const)
  describeBadInput(
    {
      method: 'POST',
      path,
      validBody,
      optional,
      idempotent,
      extraCases: [
        {
          name: 'a malformed subscription id',
          path: path.replace(/[0-9a-f-]{36}/, 'nope'),
          json: validBody,
          status: 400,
        },
        {
          name: 'an unknown subscription',
          path: path.replace(/[0-9a-f-]{36}/, randomUUID()),
          json: validBody,
          status: 404,
          code: 'not-found',
        },
        ...(path.endsWith('/replays')
          ? [
              {
                name: 'end before start',
                json: { from: '2026-11-08T00:00:00Z', to: '2026-11-01T00:00:00Z' },
                status: 400,
                code: 'validation-failed',
              },
              {
                name: 'end equal to start',
                json: { from: '2026-11-01T00:00:00Z', to: '2026-11-01T00:00:00Z' },
                status: 400,
                code: 'validation-failed',
              },
              {
                name: 'a range over 31 days',
                json: { from: '2026-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z' },
                status: 400,
                code: 'validation-failed',
              },
              {
                name: 'a disabled subscription',
                path: path.replace(ACTIVE_SUBSCRIPTION, DISABLED_SUBSCRIPTION),
                json: validBody,
                status: 409,
                code: 'invalid-transition',
              },
            ]
          : []),
        ...(path.endsWith('/secret-rotations')
          ? [{ name: 'an overlap over a week', json: { overlapSeconds: 604_801 }, status: 400 }]
          : []),
        ...(path.endsWith('/enable')
          ? [
              {
                name: 'an active subscription',
                path: path.replace(DISABLED_SUBSCRIPTION, ACTIVE_SUBSCRIPTION),
                json: validBody,
                status: 409,
                code: 'invalid-transition',
              },
            ]
          : []),
      ],
    },
    () => ({ baseUrl: svc.url, token: networkAdmin, countWrites: lifecycleWrites }),
  );
