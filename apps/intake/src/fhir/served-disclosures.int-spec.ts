import { createHash, randomUUID } from 'node:crypto';
import { r4Issues } from '@stepwise/fhir/testing';
import {
  type ServiceApp,
  http,
  startIntegrationTokenServer,
  startServiceApp,
  testTokens,
  waitFor,
} from '@stepwise/testing';
import { type Resource } from '@medplum/fhirtypes';
import { admissionBody, clientBody, consentBody, newReferenceWorld } from '../testing/fixtures';
import { outboxEvents, startIntake } from '../testing/harness';

/*
 * The disclosure decision scheduling and sessions ask before they answer an outside system's FHIR read, on the
 * real service (Postgres, Kafka outbox): the consent rule of intake's own reads, the audit entry and the
 * RecordsDisclosed event in the transaction of the decision, and the labelled body to send back.
 */

type Json = Record<string, unknown>;

const world = newReferenceWorld();
let svc: ServiceApp;
let coordinator: string;
let service: string;
let clientId: string;
const ehrId = randomUUID();

const recipient = (id: string, purposes = ['treatment']): Json => ({
  kind: 'provider-organization',
  id,
  purposes,
});

const appointmentOf = (client: string, id = randomUUID()): Json => ({
  resourceType: 'Appointment',
  id,
  status: 'booked',
  serviceType: [
    { coding: [{ system: 'https://stepwise.example/fhir/CodeSystem/session-type', code: 'group' }] },
  ],
  start: '2026-03-03T15:00:00.000Z',
  end: '2026-03-03T18:00:00.000Z',
  minutesDuration: 180,
  participant: [{ actor: { reference: `Patient/${client}` }, required: 'required', status: 'accepted' }],
});

const decide = (body: Json, token = service) =>
  http<Json>(`${svc.url}/v1/internal/fhir-disclosures`, { token, json: body });

async function disclosures(recipientId: string): Promise<Json[]> {
  return (await outboxEvents(svc, 'RecordsDisclosed'))
    .map((e) => e.payload)
    .filter((p) => p['recipientId'] === recipientId);
}

async function grantTo(recipientId: string, categories: string[]): Promise<string> {
  const granted = await http<Json>(`${svc.url}/v1/clients/${clientId}/consents`, {
    token: coordinator,
    json: consentBody(world.siteA, recipientId, {
      recipient: { kind: 'provider-organization', id: recipientId, name: 'Lakeside Health EHR' },
      informationCategories: categories,
      purposes: ['treatment'],
    }),
  });
  expect(granted.status).toBe(201);
  return String(granted.body['id']);
}

beforeAll(async () => {
  svc = await startIntake(startServiceApp, 'intake_served_fhir', world, waitFor);
  // The R4 definitions load once per process (slow on a loaded machine): here, not in the first test's budget.
  r4Issues({ resourceType: 'Basic', code: { text: 'warm-up' } });
  coordinator = await testTokens.valid({ roles: ['intake-coordinator'], sites: [world.siteA] });
  service = await testTokens.valid({ sub: 'scheduling', roles: ['service'], network: world.networkId });
  clientId = String(
    (await http<Json>(`${svc.url}/v1/clients`, { token: coordinator, json: clientBody(world.siteA) })).body[
      'id'
    ],
  );
  await http<Json>(`${svc.url}/v1/clients/${clientId}/admissions`, {
    token: coordinator,
    json: admissionBody(world.siteA, world.adultIopA),
  });
  await grantTo(ehrId, ['schedule']);
}, 180_000);

afterAll(async () => {
  await svc?.close();
});

describe('a disclosure the consent allows', () => {
  it('answers the labelled body (valid R4), audited and published as RecordsDisclosed with its hash', async () => {
    const appointment = appointmentOf(clientId);
    const result = await decide({
      recipient: recipient(ehrId),
      clientId,
      resourceType: 'Appointment',
      resources: [appointment],
    });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ allowed: true, categories: ['schedule'] });
    const body = String(result.body['body']);
    const sent = JSON.parse(body) as Resource;
    expect(r4Issues(sent)).toEqual([]);
    expect(sent).toMatchObject({
      ...appointment,
      meta: { security: [{ code: '42CFRPart2' }, { code: 'NORDSCLCD' }] },
    });
    const [accounted] = await disclosures(ehrId);
    expect(accounted).toMatchObject({
      clientId,
      siteId: world.siteA,
      recipientKind: 'provider-organization',
      consentId: result.body['consentId'],
      purpose: 'treatment',
      category: 'schedule',
      channel: 'fhir',
      resourceType: 'Appointment',
      resourceCount: 1,
      contentSha256: createHash('sha256').update(body).digest('hex'),
    });
    const audit = await svc.dataSource.query<{ actor_id: string }[]>(
      `SELECT actor_id FROM intake.audit_log
        WHERE action = 'disclose' AND resource_type = 'fhir-appointment' AND client_id = $1 AND outcome = 'allowed'`,
      [clientId],
    );
    expect(audit).toEqual([{ actor_id: 'scheduling' }]);
  });

  it('answers a search as a searchset Bundle with the notice, accounting how many it carried', async () => {
    const before = (await disclosures(ehrId)).length;
    const result = await decide({
      recipient: recipient(ehrId),
      clientId,
      resourceType: 'Appointment',
      resources: [appointmentOf(clientId), appointmentOf(clientId)],
      search: {
        base: 'http://scheduling.test/fhir/r4',
        self: `http://scheduling.test/fhir/r4/Appointment?patient=${clientId}`,
      },
    });
    expect(result.status).toBe(200);
    const bundle = JSON.parse(String(result.body['body'])) as Json;
    expect(r4Issues(bundle as unknown as Resource)).toEqual([]);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 2 });
    expect(JSON.stringify(bundle)).toContain('http://scheduling.test/fhir/r4/Appointment/');
    const after = await disclosures(ehrId);
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({ resourceType: 'Appointment', resourceCount: 2 });
  });
});

describe('a disclosure the consent does not allow', () => {
  it('is refused with the reason, audited as denied, nothing accounted', async () => {
    const stranger = randomUUID();
    const none = await decide({
      recipient: recipient(stranger),
      clientId,
      resourceType: 'Appointment',
      resources: [appointmentOf(clientId)],
    });
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ allowed: false, reason: 'no-consent' });
    // The EHR's consent covers schedule, not attendance: an Encounter is another category.
    const encounter = await decide({
      recipient: recipient(ehrId),
      clientId,
      resourceType: 'Encounter',
      resources: [{ resourceType: 'Encounter', id: randomUUID(), status: 'finished' }],
    });
    expect(encounter.body).toEqual({ allowed: false, reason: 'category-not-covered' });
    expect(await disclosures(stranger)).toEqual([]);
    expect((await disclosures(ehrId)).filter((d) => d['resourceType'] === 'Encounter')).toEqual([]);
    const denied = await svc.dataSource.query<unknown[]>(
      `SELECT 1 FROM intake.audit_log WHERE action = 'disclose' AND client_id = $1 AND outcome = 'denied'`,
      [clientId],
    );
    expect(denied).toHaveLength(2);
  });

  it('is refused from the first decision after the consent is revoked', async () => {
    const recipientId = randomUUID();
    const consentId = await grantTo(recipientId, ['attendance']);
    const ask = () =>
      decide({
        recipient: recipient(recipientId),
        clientId,
        resourceType: 'Encounter',
        resources: [{ resourceType: 'Encounter', id: randomUUID(), status: 'finished' }],
      });
    expect((await ask()).body).toMatchObject({ allowed: true, consentId });
    const revoked = await http<Json>(`${svc.url}/v1/consents/${consentId}/revocation`, {
      token: coordinator,
      json: { revokedBy: 'client', receivedOn: '2026-01-20' },
    });
    expect(revoked.status).toBe(200);
    expect((await ask()).body).toEqual({ allowed: false, reason: 'consent-revoked' });
    expect((await disclosures(recipientId)).map((d) => d['resourceType'])).toEqual(['Encounter']);
  });

  it('answers 404 for an unknown client (as intake own reads do)', async () => {
    const result = await decide({
      recipient: recipient(ehrId),
      clientId: randomUUID(),
      resourceType: 'Appointment',
      resources: [appointmentOf(clientId)],
    });
    expect(result.status).toBe(404);
  });
});

describe('who may ask, and bad input', () => {
  it('is for service principals: staff and outside systems get 403', async () => {
    const body = { recipient: recipient(ehrId), clientId, resourceType: 'Appointment', resources: [] };
    expect((await decide(body, coordinator)).status).toBe(403);
    const tokens = await startIntegrationTokenServer();
    try {
      const integration = await tokens.token(
        tokens.register(
          'system-ehr',
          { kind: 'provider-organization', id: ehrId, purposes: ['treatment'] },
          world.networkId,
        ),
      );
      expect((await decide(body, integration)).status).toBe(403);
    } finally {
      await tokens.close();
    }
  });

  it('refuses resources of another type, a read of other than one resource, and intake own types', async () => {
    const base = { recipient: recipient(ehrId), clientId };
    const refused = [
      { ...base, resourceType: 'Appointment', resources: [{ resourceType: 'Patient', id: clientId }] },
      { ...base, resourceType: 'Appointment', resources: [] },
      { ...base, resourceType: 'Appointment', resources: [appointmentOf(clientId), appointmentOf(clientId)] },
      { ...base, resourceType: 'Patient', resources: [{ resourceType: 'Patient', id: clientId }] },
      { ...base, recipient: { ...recipient(ehrId), kind: 'family-member' }, resourceType: 'Appointment' },
    ];
    for (const body of refused) {
      const result = await decide({ resources: [appointmentOf(clientId)], ...body });
      expect([result.status, result.body['code']]).toEqual([400, 'validation-failed']);
    }
    expect((await disclosures(ehrId)).length).toBe(2);
  });
});
