import { randomUUID } from 'node:crypto';
import {
  type LocalKeycloak,
  type ServiceApp,
  ensureKeycloak,
  expectProblem,
  http,
  infraVar,
  keycloakClientCredentials,
  keycloakHoldsSecrets,
  keycloakPasswordToken,
  realmStaff,
  startServiceApp,
  stopKeycloak,
  testTokens,
  waitFor,
} from '@stepwise/testing';
import { type ReferenceWorld, admissionBody, clientBody } from './testing/fixtures';
import { startIntake } from './testing/harness';

/*
 * Signing in through a real OpenID Connect provider: Keycloak (tools/infra) with the repository's realm. The
 * service runs with Keycloak's issuer and key set instead of the local JWKS, and accepts its tokens unchanged:
 * `sub`, `roles`, `sites` and `network` as the realm maps them, audience `stepwise`. A counselor of the site
 * reads its census; a counselor of another site of the network cannot.
 */

// Keycloak starts in about 40 s on a quiet two-core machine and in over four minutes under heavy load.
jest.setTimeout(600_000);

const staff = realmStaff();
const account = (username: string) => {
  const found = staff.accounts.find((a) => a.username === username);
  if (found === undefined) throw new Error(`no ${username} in the realm`);
  return found;
};
const harbor = account('harbor.counselor1');
const harborIntake = account('harbor.intake');
const lakeshore = account('lakeshore.counselor1');
const [harborSite] = harbor.sites;
const [lakeshoreSite] = lakeshore.sites;
// The realm's sites as scheduling would publish them (ids from the realm, tracks of this run).
const world: ReferenceWorld = {
  networkId: staff.network,
  siteA: String(harborSite),
  siteB: String(lakeshoreSite),
  adultIopA: randomUUID(),
  adultOpA: randomUUID(),
  adolescentIopA: randomUUID(),
  adultIopB: randomUUID(),
  inactiveTrackA: randomUUID(),
};

let keycloak: LocalKeycloak;
let startedHere = false;
let svc: ServiceApp | undefined;

beforeAll(async () => {
  const ensured = await ensureKeycloak({ log: (line) => process.stdout.write(`${line}\n`) });
  keycloak = ensured.keycloak;
  startedHere = ensured.status === 'started';
  svc = await startIntake(
    (definition, options) =>
      startServiceApp(definition, {
        ...options,
        env: { ...options.env, AUTH_ISSUER: keycloak.issuer, AUTH_JWKS_URL: keycloak.jwksUrl },
      }),
    'intake_keycloak',
    world,
    waitFor,
  );
});

afterAll(async () => {
  await svc?.close();
  // A Keycloak that was already running (the demo's, a developer's) is left running.
  if (startedHere) await stopKeycloak();
});

describe('tokens from Keycloak', () => {
  it("carry the claims the services verify, and a site's counselor reads its census", async () => {
    const app = svc as ServiceApp;
    const coordinatorToken = await keycloakPasswordToken(keycloak, harborIntake.username);
    const client = await http<{ id: string }>(`${app.url}/v1/clients`, {
      token: coordinatorToken,
      json: clientBody(world.siteA),
    });
    expect(client.status).toBe(201);
    const admitted = await http(`${app.url}/v1/clients/${client.body.id}/admissions`, {
      token: coordinatorToken,
      json: admissionBody(world.siteA, world.adultIopA, { primaryCounselorId: harbor.id }),
    });
    expect(admitted.status).toBe(201);

    const token = await keycloakPasswordToken(keycloak, harbor.username);
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    expect(claims).toMatchObject({
      iss: keycloak.issuer,
      aud: 'stepwise',
      sub: harbor.id,
      roles: ['counselor'],
      sites: [world.siteA],
      network: staff.network,
    });
    const census = await http<{ items: { clientId: string }[] }>(
      `${app.url}/v1/sites/${world.siteA}/census?limit=100`,
      { token },
    );
    expect(census.status).toBe(200);
    expect(census.body.items.map((e) => e.clientId)).toContain(client.body.id);
    // The audit trail names the signed-in staff member (the token's subject).
    const [entry] = await app.dataSource.query<{ actor_id: string }[]>(
      `SELECT actor_id FROM intake.audit_log WHERE client_id = $1 AND resource_type = 'census'`,
      [client.body.id],
    );
    expect(entry?.actor_id).toBe(harbor.id);
  });

  it("answers a counselor of another site 404 on the site's records and its census", async () => {
    const app = svc as ServiceApp;
    const token = await keycloakPasswordToken(keycloak, lakeshore.username);
    const census = await http(`${app.url}/v1/sites/${world.siteA}/census`, { token });
    expect([403, 404]).toContain(census.status);
    expectProblem(census, census.status);
    const search = await http(`${app.url}/v1/clients/search`, {
      token,
      json: { siteId: world.siteA, name: 'Zebediah' },
    });
    expectProblem(search, 404, 'not-found');
  });

  it('gives the notifications service a client-credentials token that intake accepts for its internal routes', async () => {
    const app = svc as ServiceApp;
    const coordinatorToken = await keycloakPasswordToken(keycloak, harborIntake.username);
    const client = await http<{ id: string }>(`${app.url}/v1/clients`, {
      token: coordinatorToken,
      json: clientBody(world.siteA),
    });
    const secret = infraVar('NOTIFICATIONS_CLIENT_SECRET');
    const response = await keycloakClientCredentials(keycloak, 'notifications', secret);
    expect(response.status).toBe(200);
    const { access_token: serviceToken } = (await response.json()) as { access_token: string };
    const contact = await http<Record<string, unknown>>(
      `${app.url}/v1/internal/clients/${client.body.id}/contact?channel=email`,
      { token: serviceToken },
    );
    expect(contact.status).toBe(200);
    expect(contact.body).toMatchObject({ channel: 'email' });
  });

  it.each(['scheduling', 'sessions'])(
    'gives %s a client-credentials token that intake accepts for its FHIR disclosure decisions',
    async (service) => {
      const app = svc as ServiceApp;
      const secret = infraVar(`${service.toUpperCase()}_CLIENT_SECRET`);
      const response = await keycloakClientCredentials(keycloak, service, secret);
      expect(response.status).toBe(200);
      const { access_token: serviceToken } = (await response.json()) as { access_token: string };
      // Past authentication and the service role: the empty request is refused for what it lacks, not who sent it.
      const decision = await http<Record<string, unknown>>(`${app.url}/v1/internal/fhir-disclosures`, {
        token: serviceToken,
        json: {},
      });
      expect(decision.status).toBe(400);
    },
  );

  it("is reused only while it holds this checkout's client secrets (another checkout's Keycloak is not)", async () => {
    expect(await keycloakHoldsSecrets(keycloak)).toBe(true);
    const recorded = process.env['SESSIONS_CLIENT_SECRET'];
    process.env['SESSIONS_CLIENT_SECRET'] = 'another-checkouts-secret';
    try {
      // What ensureKeycloak sees on a port held by a Keycloak with other secrets: not reused.
      expect(await keycloakHoldsSecrets(keycloak)).toBe(false);
    } finally {
      if (recorded === undefined) delete process.env['SESSIONS_CLIENT_SECRET'];
      else process.env['SESSIONS_CLIENT_SECRET'] = recorded;
    }
    expect(await keycloakHoldsSecrets(keycloak)).toBe(true);
  });

  it('refuses a token of the local issuer once the service trusts Keycloak, and a wrong password', async () => {
    const app = svc as ServiceApp;
    const local = await testTokens.valid({ roles: ['counselor'], sites: [world.siteA] });
    expectProblem(await http(`${app.url}/v1/sites/${world.siteA}/census`, { token: local }), 401);
    await expect(keycloakPasswordToken(keycloak, harbor.username, 'wrong-password')).rejects.toThrow(/401/);
  });
});
