import { randomUUID } from 'node:crypto';
import { r4Issues } from '@stepwise/fhir/testing';
import {
  FAKE_INTAKE_TAG,
  FakeIntakeDisclosures,
  type IntegrationTokenServer,
  http,
  infraVar,
  startIntegrationTokenServer,
  testTokens,
} from '@stepwise/testing';
import { type Resource } from '@medplum/fhirtypes';
import { type Group, NETWORK, aGroup, rosterOf, useSessions } from '../testing/sessions-app';

/*
 * Sessions' FHIR R4 Encounters (attended sessions) on the real service (Postgres, Kafka, Redis, the local token
 * endpoint), with intake's disclosure decision played by a loopback stand-in: what sessions asks intake, that
 * it answers only intake's body, maps refusals to 404/403 and fails closed. Intake's own spec proves the
 * decision, its audit and the RecordsDisclosed accounting.
 */

type Json = Record<string, unknown>;

const intake = new FakeIntakeDisclosures();
// Listening before the service starts (useSessions' own beforeAll), which reads where intake is.
beforeAll(() => intake.listen());
const sessions = useSessions('sessions_fhir', () => ({
  INTAKE_URL: intake.url,
  AUTH_TOKEN_URL: infraVar('AUTH_TOKEN_URL'),
  AUTH_CLIENT_ID: 'sessions',
  AUTH_CLIENT_SECRET: infraVar('SESSIONS_CLIENT_SECRET'),
}));
const EHR = randomUUID();
let tokens: IntegrationTokenServer;
let ehr: string;
let group: Group;
let attended: string;
let missed: string;

const fhir = (path: string, token?: string) =>
  http<Json>(`${sessions().svc.url}/fhir/r4/${path}`, token === undefined ? {} : { token });

function expectOutcome(result: Awaited<ReturnType<typeof fhir>>, status: number, code: string): void {
  expect(result.status).toBe(status);
  expect(result.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
  expect((result.body['issue'] as Json[])[0]).toMatchObject({ details: { coding: [{ code }] } });
  expect(r4Issues(result.body as unknown as Resource)).toEqual([]);
}

async function attendanceId(appointmentId: string): Promise<string> {
  const [row] = await sessions().svc.dataSource.query<{ attendance_id: string }[]>(
    'SELECT attendance_id FROM sessions.attendance WHERE appointment_id = $1',
    [appointmentId],
  );
  return String(row?.attendance_id);
}

beforeAll(async () => {
  // The R4 definitions load once per process (slow on a loaded machine): here, not in the first test's budget.
  r4Issues({ resourceType: 'Basic', code: { text: 'warm-up' } });
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
  await intake.close();
});

beforeEach(() => {
  intake.next = { allowed: true };
  intake.asked.length = 0;
});

describe('an outside system reading Encounters', () => {
  it('reads an attended session: valid R4, asked of intake for the caller, answered with intake body', async () => {
    const s = sessions();
    group = await aGroup(s, 2);
    const recorded = await http(`${s.svc.url}/v1/occurrences/${group.occurrence}/attendance`, {
      method: 'PUT',
      token: group.token,
      json: rosterOf(group.clients, { 1: { status: 'absent', reasonCode: 'no-show' } }),
    });
    expect(recorded.status).toBe(200);
    await s.evaluated();
    const [present, absent] = group.clients;
    attended = await attendanceId(String(present?.appointmentId));
    missed = await attendanceId(String(absent?.appointmentId));

    const result = await fhir(`Encounter/${attended}`, ehr);
    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
    const asked = intake.asked[0]?.body;
    expect(asked).toMatchObject({
      recipient: { kind: 'provider-organization', id: EHR, purposes: ['treatment'] },
      clientId: present?.clientId,
      resourceType: 'Encounter',
    });
    const [sent] = asked?.resources ?? [];
    expect(r4Issues(sent as unknown as Resource)).toEqual([]);
    expect(sent).toMatchObject({
      resourceType: 'Encounter',
      id: attended,
      status: 'finished',
      subject: { reference: `Patient/${present?.clientId}` },
      episodeOfCare: [{ reference: `EpisodeOfCare/${present?.episodeId}` }],
      appointment: [{ reference: `Appointment/${present?.appointmentId}` }],
      period: { start: '2025-03-10T03:00:00.000Z', end: '2025-03-10T06:00:00.000Z' },
      length: { value: 180 },
    });
    expect(result.body).toEqual({ ...sent, meta: { tag: [FAKE_INTAKE_TAG] } });
    const audit = await s.svc.dataSource.query<{ outcome: string }[]>(
      `SELECT outcome FROM sessions.audit_log
        WHERE action = 'disclose' AND resource_type = 'fhir-encounter' AND resource_id = $1`,
      [attended],
    );
    expect(audit).toEqual([{ outcome: 'allowed' }]);
  });

  it('a missed session is no Encounter (404, intake not asked); a search finds the attended ones only', async () => {
    expectOutcome(await fhir(`Encounter/${missed}`, ehr), 404, 'not-found');
    expect(intake.asked).toEqual([]);
    const [present, absent] = group.clients;
    const found = await fhir(`Encounter?patient=Patient/${present?.clientId}`, ehr);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
    expect(intake.asked[0]?.body.resources.map((r) => r['id'])).toEqual([attended]);
    expect(intake.asked[0]?.body.search?.self).toMatch(/\/fhir\/r4\/Encounter\?patient=/);
    const none = await fhir(`Encounter?patient=${absent?.clientId}`, ehr);
    expect(none.body).toMatchObject({ total: 0 });
  });
});

describe('what intake does not allow, and who may call', () => {
  it('maps intake refusals to 404 / 403 consent-required, and fails closed with 503 when intake fails', async () => {
    intake.next = { allowed: false, reason: 'no-consent' };
    expectOutcome(await fhir(`Encounter/${attended}`, ehr), 404, 'not-found');
    intake.next = { allowed: false, reason: 'category-not-covered' };
    expectOutcome(await fhir(`Encounter/${attended}`, ehr), 403, 'consent-required');
    intake.next = { status: 503 };
    const failed = await fhir(`Encounter/${attended}`, ehr);
    expectOutcome(failed, 503, 'service-unavailable');
    expect(failed.text).not.toContain(attended);
  });

  it('is for outside systems of the record network only; bad ids and searches are 400', async () => {
    const counselor = await testTokens.valid({ roles: ['counselor'], sites: [group.site] });
    expectOutcome(await fhir(`Encounter/${attended}`, counselor), 403, 'permission-denied');
    const elsewhere = await tokens.token(
      tokens.register(
        'system-elsewhere',
        { kind: 'provider-organization', id: EHR, purposes: ['treatment'] },
        randomUUID(),
      ),
    );
    expectOutcome(await fhir(`Encounter/${attended}`, elsewhere), 404, 'not-found');
    expectOutcome(await fhir('Encounter/not-a-uuid', ehr), 400, 'validation-failed');
    expectOutcome(await fhir('Encounter?patient=Practitioner/x', ehr), 400, 'validation-failed');
    expect(intake.asked).toEqual([]);
  });
});
