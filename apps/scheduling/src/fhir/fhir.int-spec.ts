import { randomUUID } from 'node:crypto';
import { r4Issues } from '@stepwise/fhir/testing';
import {
  FAKE_INTAKE_TAG,
  FakeIntakeDisclosures,
  type IntegrationTokenServer,
  type ServiceApp,
  freePort,
  http,
  infraVar,
  startIntegrationTokenServer,
  startServiceApp,
  testTokens,
} from '@stepwise/testing';
import { type Resource } from '@medplum/fhirtypes';
import { decodeJwt } from 'jose';
import { NETWORK, schedulingFixture } from '../testing/scheduling-fixture';

/*
 * Scheduling's FHIR R4 Appointments on the real service (Postgres, Kafka, Redis, the local token endpoint for
 * its own service token and the outside systems'), with intake's disclosure decision played by a loopback
 * stand-in: what scheduling asks intake, that it answers only intake's body, maps refusals to 404/403 and
 * fails closed (503, no data) when intake cannot decide. Intake's own spec proves the decision itself.
 */

type Json = Record<string, unknown>;

const { adminToken, createSite, createStaff, startScheduling } = schedulingFixture({
  startServiceApp,
  http,
  testTokens,
});

const SITE = randomUUID();
const CLIENT = randomUUID();
const EHR = randomUUID();
const intake = new FakeIntakeDisclosures();
let app: ServiceApp;
let tokens: IntegrationTokenServer;
let ehr: string;
let appointmentId: string;

const fhir = (path: string, token?: string) =>
  http<Json>(`${app.url}/fhir/r4/${path}`, token === undefined ? {} : { token });

function expectOutcome(result: Awaited<ReturnType<typeof fhir>>, status: number, code: string): void {
  expect(result.status).toBe(status);
  expect(result.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
  expect(result.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error' }] });
  expect((result.body['issue'] as Json[])[0]).toMatchObject({ details: { coding: [{ code }] } });
  expect(r4Issues(result.body as unknown as Resource)).toEqual([]);
}

beforeAll(async () => {
  await intake.listen();
  // The R4 definitions load once per process (slow on a loaded machine): here, not in the first test's budget.
  r4Issues({ resourceType: 'Basic', code: { text: 'warm-up' } });
  // The bookings are in April 2027: ahead of the service's clock, fixed whatever day the suite runs.
  app = await startScheduling('sched_fhir', '2026-12-03T15:00:00.000Z', {
    INTAKE_URL: intake.url,
    AUTH_TOKEN_URL: infraVar('AUTH_TOKEN_URL'),
    AUTH_CLIENT_ID: 'scheduling',
    AUTH_CLIENT_SECRET: infraVar('SCHEDULING_CLIENT_SECRET'),
  });
  const admin = await adminToken([SITE]);
  await createSite(app, admin, SITE);
  const facilitator = await createStaff(app, admin, SITE);
  const booked = await http<{ id: string }>(`${app.url}/v1/sites/${SITE}/appointments`, {
    token: admin,
    json: {
      clientId: CLIENT,
      episodeId: randomUUID(),
      kind: 'individual',
      sessionType: 'individual-counseling',
      facilitatorId: facilitator,
      room: 'Room 3',
      startsAt: '2027-04-06T15:00:00-04:00',
      endsAt: '2027-04-06T16:00:00-04:00',
    },
  });
  expect(booked.status).toBe(201);
  appointmentId = booked.body.id;
  tokens = await startIntegrationTokenServer();
  ehr = await tokens.token(
    tokens.register(
      'system-ehr',
      { kind: 'provider-organization', id: EHR, purposes: ['treatment'] },
      NETWORK,
    ),
  );
}, 180_000);

afterAll(async () => {
  await tokens?.close();
  await app?.close();
  await intake.close();
});

beforeEach(() => {
  intake.next = { allowed: true };
  intake.asked.length = 0;
});

describe('an outside system reading an Appointment', () => {
  it('asks intake with its own service token, for the caller, with the valid R4 Appointment; answers intake body', async () => {
    const result = await fhir(`Appointment/${appointmentId}`, ehr);
    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
    const [asked] = intake.asked;
    expect(decodeJwt(String(asked?.authorization).replace('Bearer ', ''))).toMatchObject({
      sub: 'scheduling',
      roles: ['service'],
    });
    expect(asked?.body).toMatchObject({
      recipient: { kind: 'provider-organization', id: EHR, purposes: ['treatment'] },
      clientId: CLIENT,
      resourceType: 'Appointment',
    });
    const [sent] = asked?.body.resources ?? [];
    expect(r4Issues(sent as unknown as Resource)).toEqual([]);
    expect(sent).toMatchObject({
      resourceType: 'Appointment',
      id: appointmentId,
      status: 'booked',
      start: '2027-04-06T19:00:00.000Z',
      participant: [{ actor: { reference: `Patient/${CLIENT}` } }],
    });
    // No facilitator or room leaves: the client is the one participant shown.
    expect(JSON.stringify(sent)).not.toContain('Room 3');
    // The answer is exactly what intake decided (labelled and accounted there).
    expect(result.body).toEqual({ ...sent, meta: { tag: [FAKE_INTAKE_TAG] } });
    const audit = await app.dataSource.query<{ outcome: string }[]>(
      `SELECT outcome FROM scheduling.audit_log
        WHERE action = 'disclose' AND resource_type = 'fhir-appointment' AND resource_id = $1`,
      [appointmentId],
    );
    expect(audit).toEqual([{ outcome: 'allowed' }]);
  });

  it('searches by patient: the client appointments of its network, as intake Bundle', async () => {
    for (const patient of [CLIENT, `Patient/${CLIENT}`]) {
      const result = await fhir(`Appointment?patient=${encodeURIComponent(patient)}`, ehr);
      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
    }
    const asked = intake.asked[0]?.body;
    expect(asked?.resources.map((r) => r['id'])).toEqual([appointmentId]);
    expect(asked?.search?.base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/fhir\/r4$/);
    expect(asked?.search?.self).toMatch(/\/fhir\/r4\/Appointment\?patient=/);
    // Another client: nothing found, and intake still decides (no consent: 404, as for an unknown client).
    intake.next = { allowed: false, reason: 'no-consent' };
    expectOutcome(await fhir(`Appointment?patient=${randomUUID()}`, ehr), 404, 'not-found');
    expect(intake.asked.at(-1)?.body.resources).toEqual([]);
  });
});

describe('what intake does not allow', () => {
  it('answers 404 when no consent names the caller, 403 consent-required otherwise (revoked, another category); audited as denied', async () => {
    intake.next = { allowed: false, reason: 'no-consent' };
    expectOutcome(await fhir(`Appointment/${appointmentId}`, ehr), 404, 'not-found');
    intake.next = { allowed: false, reason: 'category-not-covered' };
    const category = await fhir(`Appointment/${appointmentId}`, ehr);
    expectOutcome(category, 403, 'consent-required');
    expect(JSON.stringify(category.body)).toContain('category-not-covered');
    intake.next = { allowed: false, reason: 'consent-revoked' };
    expectOutcome(await fhir(`Appointment/${appointmentId}`, ehr), 403, 'consent-required');
    const denied = await app.dataSource.query<unknown[]>(
      `SELECT 1 FROM scheduling.audit_log
        WHERE action = 'disclose' AND resource_id = $1 AND outcome = 'denied'`,
      [appointmentId],
    );
    expect(denied).toHaveLength(3);
  });

  it('fails closed: intake failing, refusing the service token or unreachable is 503 and no data', async () => {
    for (const status of [500, 401, 404]) {
      intake.next = { status };
      const result = await fhir(`Appointment/${appointmentId}`, ehr);
      if (status === 404) expectOutcome(result, 404, 'not-found');
      else expectOutcome(result, 503, 'service-unavailable');
      expect(result.text).not.toContain(appointmentId);
    }
    const port = await freePort();
    const down = await startScheduling('sched_fhir_down', '2026-12-03T15:00:00.000Z', {
      INTAKE_URL: `http://127.0.0.1:${port}`,
      AUTH_TOKEN_URL: infraVar('AUTH_TOKEN_URL'),
      AUTH_CLIENT_ID: 'scheduling',
      AUTH_CLIENT_SECRET: infraVar('SCHEDULING_CLIENT_SECRET'),
    });
    try {
      const admin = await adminToken([SITE]);
      await createSite(down, admin, SITE);
      const result = await http<Json>(`${down.url}/fhir/r4/Appointment?patient=${CLIENT}`, { token: ehr });
      expectOutcome(result, 503, 'service-unavailable');
    } finally {
      await down.close();
    }
  }, 180_000);

  it('a record outside the caller network is not found, and intake is not asked', async () => {
    const elsewhere = await tokens.token(
      tokens.register(
        'system-elsewhere',
        { kind: 'provider-organization', id: EHR, purposes: ['treatment'] },
        randomUUID(),
      ),
    );
    expectOutcome(await fhir(`Appointment/${appointmentId}`, elsewhere), 404, 'not-found');
    expectOutcome(await fhir(`Appointment/${randomUUID()}`, ehr), 404, 'not-found');
    expect(intake.asked).toEqual([]);
  });
});

describe('who may call, and bad input', () => {
  it('answers OperationOutcomes: 401 without a token, 403 for staff and services, 400 for bad input', async () => {
    expect((await fhir(`Appointment/${appointmentId}`)).status).toBe(401);
    expectOutcome(
      await fhir(`Appointment/${appointmentId}`, await adminToken([SITE])),
      403,
      'permission-denied',
    );
    const service = await testTokens.valid({ sub: 'notifications', roles: ['service'], network: NETWORK });
    expectOutcome(await fhir(`Appointment/${appointmentId}`, service), 403, 'permission-denied');
    expectOutcome(await fhir('Appointment/not-a-uuid', ehr), 400, 'validation-failed');
    expectOutcome(await fhir('Appointment', ehr), 400, 'validation-failed');
    expectOutcome(await fhir(`Appointment?patient=${CLIENT}&_count=5`, ehr), 400, 'validation-failed');
    expect(intake.asked).toEqual([]);
  });
});
