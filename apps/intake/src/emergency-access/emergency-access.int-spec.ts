import { randomUUID } from 'node:crypto';
import {
  type ServiceApp,
  expectProblem,
  http,
  startServiceApp,
  testTokens,
  waitFor,
} from '@stepwise/testing';
import { clientBody, newReferenceWorld } from '../testing/fixtures';
import { outboxEvents, startIntake } from '../testing/harness';

/* Break-glass on the running service: one client's record outside the clinician's sites, audited and alerted. */

const world = newReferenceWorld();
let svc: ServiceApp;
let clientId: string;
let otherClientId: string;
const clinicianId = randomUUID();
let clinician: string; // a counselor of site B: the client is at site A

type Json = Record<string, unknown>;

const emergency = (token: string, body: Json, client = clientId) =>
  http<Json>(`${svc.url}/v1/clients/${client}/emergency-access`, { token, json: body });
const readClient = (token: string, client = clientId) =>
  http<Json>(`${svc.url}/v1/clients/${client}`, { token });

beforeAll(async () => {
  svc = await startIntake(startServiceApp, 'intake_break_glass', world, waitFor);
  const coordinator = await testTokens.valid({
    roles: ['intake-coordinator'],
    sites: [world.siteA],
    network: world.networkId,
  });
  const register = async (): Promise<string> =>
    String(
      (await http<Json>(`${svc.url}/v1/clients`, { token: coordinator, json: clientBody(world.siteA) })).body
        .id,
    );
  clientId = await register();
  otherClientId = await register();
  clinician = await testTokens.valid({
    sub: clinicianId,
    roles: ['counselor'],
    sites: [world.siteB],
    network: world.networkId,
  });
}, 120_000);

afterAll(async () => {
  await svc?.close();
});

describe('break-glass (emergency access)', () => {
  it('answers the one client after a reasoned grant, audits grant and read distinctly, and publishes the alert', async () => {
    expectProblem(await readClient(clinician), 404, 'not-found');

    const granted = await emergency(clinician, { reasonCode: 'medical-emergency' });
    expect(granted.status).toBe(201);
    const { grantedAt, expiresAt } = granted.body as { grantedAt: string; expiresAt: string };
    expect(Date.parse(expiresAt) - Date.parse(grantedAt)).toBe(60 * 60_000);

    expect(await readClient(clinician)).toMatchObject({ status: 200, body: { id: clientId } });
    expectProblem(await readClient(clinician, otherClientId), 404, 'not-found');

    const audit = await svc.dataSource.query<{ action: string; outcome: string; site_id: string }[]>(
      `SELECT action, outcome, site_id FROM intake.audit_log WHERE actor_id = $1 AND client_id = $2
        ORDER BY occurred_at, id`,
      [clinicianId, clientId],
    );
    expect(audit.map((a) => `${a.action}:${a.outcome}`)).toEqual([
      'read:denied',
      'break-glass:allowed',
      'break-glass-read:allowed',
    ]);
    expect(audit.every((a) => a.site_id === world.siteA)).toBe(true);

    const [event] = await outboxEvents(svc, 'EmergencyAccessGranted');
    expect(event?.payload).toEqual({
      grantId: (granted.body as { grantId: string }).grantId,
      clientId,
      siteId: world.siteA,
      staffId: clinicianId,
      reasonCode: 'medical-emergency',
      grantedAt,
      expiresAt,
    });
  });

  it('is for clinicians with a reason code, within their network only', async () => {
    const billing = await testTokens.valid({
      roles: ['billing'],
      sites: [world.siteB],
      network: world.networkId,
    });
    expectProblem(await emergency(billing, { reasonCode: 'medical-emergency' }), 403, 'permission-denied');
    expectProblem(await emergency(clinician, {}), 400, 'validation-failed');
    expectProblem(await emergency(clinician, { reasonCode: 'curiosity' }), 400, 'validation-failed');
    const stranger = await testTokens.valid({
      roles: ['counselor'],
      sites: [randomUUID()],
      network: randomUUID(),
    });
    expectProblem(await emergency(stranger, { reasonCode: 'medical-emergency' }), 404, 'not-found');
    expectProblem(
      await emergency(clinician, { reasonCode: 'medical-emergency' }, randomUUID()),
      404,
      'not-found',
    );
  });
});
