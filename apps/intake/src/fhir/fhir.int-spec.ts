import { createHash, randomUUID } from 'node:crypto';
import { r4Issues } from '@stepwise/fhir/testing';
import {
  type IntegrationTokenServer,
  type ServiceApp,
  http,
  startIntegrationTokenServer,
  startServiceApp,
  testTokens,
  waitFor,
} from '@stepwise/testing';
import { type Resource } from '@medplum/fhirtypes';
import { CANARY, admissionBody, clientBody, consentBody, newReferenceWorld } from '../testing/fixtures';
import { outboxEvents, startIntake } from '../testing/harness';

/*
 * The FHIR R4 view on the real service (Postgres, Kafka, Redis): outside systems obtain client-credentials
 * tokens (the local identity's token endpoint, with the systems registered here) and read what consents
 * naming them allow; every read is consent-checked, audited and published as RecordsDisclosed.
 */

type Json = Record<string, unknown>;

const world = newReferenceWorld();
let svc: ServiceApp;
let tokens: IntegrationTokenServer;
let coordinator: string;
let clientId: string;
let episodeId: string;
const ehrId = randomUUID();
let ehr: string;
let stranger: string;
const strangerId = randomUUID();
let payerId: string;
let payer: string;

const fhir = (path: string, token?: string) =>
  http<Json>(`${svc.url}/fhir/r4/${path}`, token === undefined ? {} : { token });

/** An OperationOutcome answer of `status`, as application/fhir+json, of the given issue type. */
function expectOutcome(
  result: Awaited<ReturnType<typeof fhir>>,
  status: number,
  issue: string,
  code?: string,
): void {
  expect(result.status).toBe(status);
  expect(result.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
  expect(result.body).toMatchObject({
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: issue }],
  });
  if (code !== undefined)
    expect((result.body['issue'] as Json[])[0]).toMatchObject({ details: { coding: [{ code }] } });
  expect(r4Issues(result.body as unknown as Resource)).toEqual([]);
}

async function disclosures(recipientId: string): Promise<Json[]> {
  return (await outboxEvents(svc, 'RecordsDisclosed'))
    .map((e) => e.payload)
    .filter((p) => p['recipientId'] === recipientId);
}

async function grantTo(recipientId: string, categories: string[], purposes = ['treatment']): Promise<string> {
  const granted = await http<Json>(`${svc.url}/v1/clients/${clientId}/consents`, {
    token: coordinator,
    json: consentBody(world.siteA, recipientId, {
      recipient: { kind: 'provider-organization', id: recipientId, name: 'Lakeside Health EHR' },
      informationCategories: categories,
      purposes,
    }),
  });
  expect(granted.status).toBe(201);
  return String(granted.body['id']);
}

beforeAll(async () => {
  svc = await startIntake(startServiceApp, 'intake_fhir', world, waitFor);
  tokens = await startIntegrationTokenServer();
  coordinator = await testTokens.valid({ roles: ['intake-coordinator'], sites: [world.siteA] });
  clientId = String(
    (await http<Json>(`${svc.url}/v1/clients`, { token: coordinator, json: clientBody(world.siteA) })).body[
      'id'
    ],
  );
  const admitted = await http<Json>(`${svc.url}/v1/clients/${clientId}/admissions`, {
    token: coordinator,
    json: admissionBody(world.siteA, world.adultIopA),
  });
  episodeId = String(admitted.body['id']);
  await grantTo(ehrId, ['demographics', 'level-of-care']);
  const register = (id: string, purposes: string[], network = world.networkId) =>
    tokens.token(tokens.register(`system-${id}`, { kind: 'provider-organization', id, purposes }, network));
  ehr = await register(ehrId, ['treatment']);
  stranger = await register(strangerId, ['treatment']);
  payerId = randomUUID();
  await grantTo(payerId, ['level-of-care'], ['payment']);
  payer = await register(payerId, ['payment']);
}, 180_000);

afterAll(async () => {
  await tokens?.close();
  await svc?.close();
});

describe('a consenting outside system', () => {
  it('reads the minimal Patient: valid R4, Part 2 labels, no contact details; audited and accounted', async () => {
    const result = await fhir(`Patient/${clientId}`, ehr);
    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
    expect(r4Issues(result.body as unknown as Resource)).toEqual([]);
    expect(result.body).toMatchObject({
      resourceType: 'Patient',
      id: clientId,
      name: [{ family: CANARY.familyName, given: [CANARY.givenName] }],
      birthDate: CANARY.dateOfBirth,
      meta: { security: [{ code: '42CFRPart2' }, { code: 'NORDSCLCD' }] },
    });
    for (const contact of [CANARY.phone, CANARY.email, CANARY.street])
      expect(result.text).not.toContain(contact);
    const [accounted] = (await disclosures(ehrId)).filter((d) => d['resourceType'] === 'Patient');
    expect(accounted).toMatchObject({
      clientId,
      siteId: world.siteA,
      recipientKind: 'provider-organization',
      purpose: 'treatment',
      category: 'demographics',
      channel: 'fhir',
      resourceCount: 1,
      noticeVersion: 'part2-notice@2024',
      contentSha256: createHash('sha256').update(result.text).digest('hex'),
    });
    // The accounting record carries no name: ids and codes only.
    expect(JSON.stringify(accounted)).not.toContain(CANARY.familyName);
    const audit = await svc.dataSource.query<{ actor_roles: string[] }[]>(
      `SELECT actor_roles FROM intake.audit_log
        WHERE action = 'disclose' AND resource_type = 'fhir-patient' AND client_id = $1 AND outcome = 'allowed'`,
      [clientId],
    );
    expect(audit).toEqual([{ actor_roles: ['integration'] }]);
  });

  it('searches EpisodeOfCare by patient (a searchset Bundle with the §2.32 notice) and reads one by id', async () => {
    for (const patient of [clientId, `Patient/${clientId}`]) {
      const bundle = await fhir(`EpisodeOfCare?patient=${encodeURIComponent(patient)}`, ehr);
      expect(bundle.status).toBe(200);
      expect(r4Issues(bundle.body as unknown as Resource)).toEqual([]);
      expect(bundle.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
      const entries = bundle.body['entry'] as { resource: Json; search: { mode: string } }[];
      expect(entries.map((e) => [e.resource['resourceType'], e.search.mode])).toEqual([
        ['EpisodeOfCare', 'match'],
        ['OperationOutcome', 'outcome'],
      ]);
      expect(entries[0]?.resource).toMatchObject({
        id: episodeId,
        status: 'active',
        type: [{ coding: [{ code: '2.1' }] }],
        period: { start: '2026-03-02T06:00:00.000Z' },
      });
      expect(JSON.stringify(entries[1]?.resource)).toContain('42 CFR part 2');
    }
    const one = await fhir(`EpisodeOfCare/${episodeId}`, ehr);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ resourceType: 'EpisodeOfCare', id: episodeId });
    expect((await disclosures(ehrId)).filter((d) => d['resourceType'] === 'EpisodeOfCare')).toHaveLength(3);
  });

  it('sees the consents that name it, and only those', async () => {
    const bundle = await fhir(`Consent?patient=${clientId}`, ehr);
    expect(bundle.status).toBe(200);
    expect(r4Issues(bundle.body as unknown as Resource)).toEqual([]);
    const consents = (bundle.body['entry'] as { resource: Json }[])
      .map((e) => e.resource)
      .filter((r) => r['resourceType'] === 'Consent');
    expect(consents).toHaveLength(1);
    expect(consents[0]).toMatchObject({ status: 'active', patient: { reference: `Patient/${clientId}` } });
    expect(JSON.stringify(consents)).not.toContain(payerId);
    expect(JSON.stringify(consents)).not.toContain('Lakeside Health EHR');
  });
});

describe('an outside system without a consent that allows the read', () => {
  it('gets 404 when no consent names it (as for an unknown client), audited as denied, nothing accounted', async () => {
    expectOutcome(await fhir(`Patient/${clientId}`, stranger), 404, 'not-found', 'not-found');
    expectOutcome(await fhir(`EpisodeOfCare?patient=${clientId}`, stranger), 404, 'not-found');
    expectOutcome(await fhir(`Patient/${randomUUID()}`, ehr), 404, 'not-found');
    const denied = await svc.dataSource.query<unknown[]>(
      `SELECT 1 FROM intake.audit_log WHERE action = 'disclose' AND client_id = $1 AND outcome = 'denied'`,
      [clientId],
    );
    expect(denied.length).toBeGreaterThanOrEqual(2);
    expect(await disclosures(strangerId)).toEqual([]);
  });

  it('gets 403 consent-required when its consent does not cover the category (a payer without demographics)', async () => {
    expectOutcome(await fhir(`Patient/${clientId}`, payer), 403, 'forbidden', 'consent-required');
    expect((await disclosures(payerId)).filter((d) => d['resourceType'] === 'Patient')).toEqual([]);
    // What the payer's consent covers, it reads.
    expect((await fhir(`EpisodeOfCare/${episodeId}`, payer)).status).toBe(200);
  });

  it('a client of another network is not found', async () => {
    const elsewhere = await tokens.token(
      tokens.register(
        'system-elsewhere',
        { kind: 'provider-organization', id: ehrId, purposes: ['treatment'] },
        randomUUID(),
      ),
    );
    expectOutcome(await fhir(`Patient/${clientId}`, elsewhere), 404, 'not-found');
  });
});

describe('revocation', () => {
  it('stops access at once; the recipient still sees its consent, now inactive', async () => {
    const recipientId = randomUUID();
    const consentId = await grantTo(recipientId, ['demographics']);
    const system = await tokens.token(
      tokens.register(
        `system-${recipientId}`,
        { kind: 'provider-organization', id: recipientId, purposes: ['treatment'] },
        world.networkId,
      ),
    );
    expect((await fhir(`Patient/${clientId}`, system)).status).toBe(200);
    const revoked = await http<Json>(`${svc.url}/v1/consents/${consentId}/revocation`, {
      token: coordinator,
      json: { revokedBy: 'client', receivedOn: '2026-01-20' },
    });
    expect(revoked.status).toBe(200);
    expectOutcome(await fhir(`Patient/${clientId}`, system), 403, 'forbidden', 'consent-required');
    const consent = await fhir(`Consent/${consentId}`, system);
    expect(consent.status).toBe(200);
    expect(consent.body).toMatchObject({ resourceType: 'Consent', id: consentId, status: 'inactive' });
    expect((await disclosures(recipientId)).map((d) => d['resourceType'])).toEqual(['Patient', 'Consent']);
    // Another recipient's consent is not found by id.
    expectOutcome(await fhir(`Consent/${consentId}`, ehr), 404, 'not-found');
  });
});

describe('who may call, and bad input', () => {
  it('answers OperationOutcomes: 401 without a token, 403 for staff and services, 400 for bad searches', async () => {
    expectOutcome(await fhir(`Patient/${clientId}`), 401, 'login');
    expectOutcome(await fhir(`Patient/${clientId}`, coordinator), 403, 'forbidden', 'permission-denied');
    const service = await testTokens.valid({
      sub: 'notifications',
      roles: ['service'],
      network: world.networkId,
    });
    expectOutcome(await fhir(`Patient/${clientId}`, service), 403, 'forbidden', 'permission-denied');
    expectOutcome(await fhir('Patient/not-a-uuid', ehr), 400, 'invalid');
    expectOutcome(await fhir('EpisodeOfCare', ehr), 400, 'invalid');
    expectOutcome(await fhir('EpisodeOfCare?patient=Practitioner/x', ehr), 400, 'invalid');
    expectOutcome(await fhir(`EpisodeOfCare?patient=${clientId}&_count=5`, ehr), 400, 'invalid');
    expectOutcome(await fhir('Observation?patient=x', ehr), 404, 'not-found');
  });
});
