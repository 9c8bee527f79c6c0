import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  type ServiceApp,
  expectProblem,
  http,
  infraVar,
  startServiceApp,
  testTokens,
} from '@stepwise/testing';
import { notificationsDefinition } from '../notifications.definition';
import { FakePeers, MailCatcher } from '../testing/fake-servers';

/*
 * Notifications' part of the console's census on the real service and Postgres: each client's open alerts
 * at a site. Alert rows are written as the alert rules write them (one per recipient of a fact); the read is
 * what is under test. Instants are fixed; `since` is always given, so no outcome depends on today.
 */

const SITE = randomUUID();
const OTHER_SITE = randomUUID();
const NETWORK = randomUUID();
const COUNSELOR_ID = randomUUID();
const SUPERVISOR_ID = randomUUID();
const [ADA, BEA, CY] = [randomUUID(), randomUUID(), randomUUID()].sort() as [string, string, string];
const peers = new FakePeers();
const mail = new MailCatcher();
let svc: ServiceApp;
let counselor: string;
let elsewhere: string;

type Json = Record<string, unknown>;
type PageOf<T> = { items: T[]; nextCursor: string | null };

interface AlertRow {
  readonly client: string;
  readonly event: string;
  readonly recipient: string;
  readonly alert: string;
  readonly urgent: boolean;
  readonly at: string;
  readonly acknowledged?: boolean;
  readonly withdrawn?: boolean;
  readonly site?: string;
}

async function alertRow(row: AlertRow): Promise<string> {
  const id = randomUUID();
  await svc.dataSource.query(
    `INSERT INTO notifications.notifications (id, dedupe_key, kind, trigger_event_id, recipient_id, recipient_kind,
        client_id, site_id, template_code, params, status, due_at, requires_ack, urgent, acknowledged_at,
        withdrawn_at, created_at)
     VALUES ($1, $2, 'alert', $3, $4, 'staff', $5, $6, $7, $8, 'sent', $9, $10, $10, $11, $12, $9)`,
    [
      id,
      `alert:${id}`,
      row.event,
      row.recipient,
      row.client,
      row.site ?? SITE,
      row.urgent ? 'clinical-alert-urgent' : 'clinical-alert',
      { alert: row.alert, rules: 'alert-rules@1' },
      row.at,
      row.urgent,
      row.acknowledged === true ? row.at : null,
      row.withdrawn === true ? row.at : null,
    ],
  );
  return id;
}

const SINCE = '2027-03-01T00:00:00.000Z';
let urgentForCounselor: string;
const urgentEvent = randomUUID();

beforeAll(async () => {
  const peersUrl = await peers.start();
  svc = await startServiceApp(notificationsDefinition, {
    label: 'notifications_open_alerts',
    envExample: join(__dirname, '../../.env.example'),
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
  counselor = await testTokens.valid({
    sub: COUNSELOR_ID,
    roles: ['counselor'],
    sites: [SITE],
    network: NETWORK,
  });
  elsewhere = await testTokens.valid({ roles: ['counselor'], sites: [OTHER_SITE], network: NETWORK });
  // Ada: an urgent screening flag sent to her counselor and a supervisor (one alert), not acknowledged; an
  // older shortfall (before `since`); a withdrawn shortfall.
  await alertRow({
    client: ADA,
    event: urgentEvent,
    recipient: SUPERVISOR_ID,
    alert: 'urgent-screening-flag',
    urgent: true,
    at: '2027-02-20T10:00:00Z',
  });
  urgentForCounselor = await alertRow({
    client: ADA,
    event: urgentEvent,
    recipient: COUNSELOR_ID,
    alert: 'urgent-screening-flag',
    urgent: true,
    at: '2027-02-20T10:00:00Z',
  });
  await alertRow({
    client: ADA,
    event: randomUUID(),
    recipient: COUNSELOR_ID,
    alert: 'weekly-hours-shortfall',
    urgent: false,
    at: '2027-02-25T10:00:00Z',
  });
  await alertRow({
    client: ADA,
    event: randomUUID(),
    recipient: COUNSELOR_ID,
    alert: 'weekly-hours-shortfall',
    urgent: false,
    at: '2027-03-02T10:00:00Z',
    withdrawn: true,
  });
  // Bea: a recent engagement risk, and an urgent alert already acknowledged (closed).
  await alertRow({
    client: BEA,
    event: randomUUID(),
    recipient: COUNSELOR_ID,
    alert: 'engagement-risk',
    urgent: false,
    at: '2027-03-03T10:00:00Z',
  });
  await alertRow({
    client: BEA,
    event: randomUUID(),
    recipient: COUNSELOR_ID,
    alert: 'urgent-screening-flag',
    urgent: true,
    at: '2027-03-01T10:00:00Z',
    acknowledged: true,
  });
  // Cy: only an alert of another site.
  await alertRow({
    client: CY,
    event: randomUUID(),
    recipient: COUNSELOR_ID,
    alert: 'engagement-risk',
    urgent: false,
    at: '2027-03-03T10:00:00Z',
    site: OTHER_SITE,
  });
}, 120_000);

afterAll(async () => {
  await svc?.close();
  await Promise.all([peers.stop(), mail.stop()]);
});

const openAlerts = (query: string, token = counselor) =>
  http<PageOf<Json>>(`${svc.url}/v1/sites/${SITE}/alerts?${query}`, { token });

describe("a site's open alerts (notifications' part of the census)", () => {
  it('lists per client the urgent alerts not acknowledged and the others raised since, once per fact', async () => {
    const page = await openAlerts(`since=${SINCE}`);
    expect(page.status).toBe(200);
    expect(page.body).toEqual({
      items: [
        {
          clientId: ADA,
          alerts: [
            {
              alertId: urgentForCounselor,
              alert: 'urgent-screening-flag',
              urgent: true,
              awaitingAcknowledgement: true,
              raisedAt: '2027-02-20T10:00:00.000Z',
            },
          ],
        },
        {
          clientId: BEA,
          alerts: [
            expect.objectContaining({ alert: 'urgent-screening-flag', awaitingAcknowledgement: false }),
            expect.objectContaining({
              alert: 'engagement-risk',
              urgent: false,
              awaitingAcknowledgement: false,
            }),
          ],
        },
      ],
      nextCursor: null,
    });
    // An earlier `since` brings Ada's older shortfall back; the withdrawn one never shows.
    const wider = await openAlerts('since=2027-02-01T00:00:00Z');
    const ada = wider.body.items.find((c) => c.clientId === ADA) as { alerts: Json[] };
    expect(ada.alerts.map((a) => a.alert)).toEqual(['urgent-screening-flag', 'weekly-hours-shortfall']);
  });

  it('audits each client listed, pages by client, and refuses bad input and other sites', async () => {
    const audit = await svc.dataSource.query<{ client_id: string }[]>(
      `SELECT DISTINCT client_id FROM notifications.audit_log WHERE action = 'list' AND resource_type = 'alert'
        AND outcome = 'allowed' AND site_id = $1`,
      [SITE],
    );
    expect(audit.map((a) => a.client_id).sort()).toEqual([ADA, BEA].sort());
    const first = await openAlerts(`since=${SINCE}&limit=1`);
    expect(first.body.items.map((c) => c.clientId)).toEqual([ADA]);
    const second = await openAlerts(`since=${SINCE}&limit=1&cursor=${String(first.body.nextCursor)}`);
    expect(second.body).toEqual({ items: [expect.objectContaining({ clientId: BEA })], nextCursor: null });

    for (const query of [
      'since=yesterday',
      'since=2027-02-30T00:00:00Z',
      'since=2027-03-01',
      'limit=0',
      'limit=1000000000',
    ]) {
      expectProblem(await openAlerts(query), 400);
    }
    expectProblem(await openAlerts('cursor=Zm9v'), 400, 'invalid-cursor');
    const other = await openAlerts(`since=${SINCE}`, elsewhere);
    expect([403, 404]).toContain(other.status);
    expectProblem(other, other.status);
    expectProblem(await http(`${svc.url}/v1/sites/${SITE}/alerts`), 401);
  });
});
