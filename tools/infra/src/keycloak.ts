import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { readInfraEnv } from './infrastructure';
import { commandLine, isAlive, run, spawnDetached, stopPid, waitFor } from './process-utils';
import { infraDir, workspaceRoot } from './workspace';

/**
 * Keycloak, the OpenID Connect provider of local use, the demo and the browser tests: the server distribution
 * from Maven Central, fetched once into `.infra/keycloak/`, started only when asked (`npm run infra:up -- --with
 * keycloak`, or `ensureKeycloak()` from a test or the demo), never by a plain `infra:up`. It runs in dev mode
 * with in-memory storage on 127.0.0.1 and imports the realm `tools/infra/keycloak/stepwise-realm.json` at every
 * start: the demo's staff with their roles, sites and network mapped into the claims the services verify.
 */

/** Pinned server distribution (`org.keycloak:keycloak-quarkus-dist`, zip). */
export const KEYCLOAK_VERSION = '26.4.7';
export const DEFAULT_KEYCLOAK_PORT = 8180;
export const KEYCLOAK_REALM = 'stepwise';

/** The realm file in the repository. */
export const keycloakRealmFile = (): string =>
  join(workspaceRoot(), 'tools/infra/keycloak/stepwise-realm.json');

const home = (): string => infraDir('keycloak', `keycloak-${KEYCLOAK_VERSION}`);
const pidFile = (): string => infraDir('keycloak', 'keycloak.pid');
const logFile = (): string => infraDir('keycloak', 'keycloak.log');

/** Fetches and unpacks the distribution once (as Kafka's and Zipkin's jars are); later runs reuse it. */
export function ensureKeycloakDistribution(log: (line: string) => void = () => undefined): string {
  const dir = home();
  if (existsSync(join(dir, 'bin', 'kc.sh'))) return dir;
  log(`Fetching Keycloak ${KEYCLOAK_VERSION} from Maven Central (once, about 160 MB)...`);
  const downloads = infraDir('keycloak', 'download');
  mkdirSync(downloads, { recursive: true });
  run('mvn', [
    '-q',
    '-B',
    'dependency:copy',
    `-Dartifact=org.keycloak:keycloak-quarkus-dist:${KEYCLOAK_VERSION}:zip`,
    `-DoutputDirectory=${downloads}`,
  ]);
  const zip = join(downloads, `keycloak-quarkus-dist-${KEYCLOAK_VERSION}.zip`);
  if (!existsSync(zip)) throw new Error(`Maven did not deliver ${zip}`);
  run('unzip', ['-q', '-o', zip, '-d', infraDir('keycloak')]);
  rmSync(downloads, { recursive: true, force: true });
  if (!existsSync(join(dir, 'bin', 'kc.sh'))) throw new Error(`${zip} did not unpack into ${dir}`);
  return dir;
}

/** The major version a JDK folder declares in its `release` file (0 when unreadable). */
function jdkMajor(jdk: string): number {
  try {
    const match = /JAVA_VERSION="(\d+)/.exec(readFileSync(join(jdk, 'release'), 'utf8'));
    return Number(match?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/**
 * A JDK new enough for Keycloak 26 (Java 21 or later): KEYCLOAK_JAVA_HOME when set, else the newest JDK under
 * /usr/lib/jvm (the machine's default Java 17 is too old).
 */
export function keycloakJavaHome(): string {
  const configured = process.env['KEYCLOAK_JAVA_HOME'];
  if (configured !== undefined && configured !== '') return configured;
  const root = '/usr/lib/jvm';
  const candidates = existsSync(root)
    ? readdirSync(root)
        .map((name) => join(root, name))
        .filter((jdk) => existsSync(join(jdk, 'bin', 'java')) && jdkMajor(jdk) >= 21)
        .sort((a, b) => jdkMajor(b) - jdkMajor(a))
    : [];
  const [newest] = candidates;
  if (newest === undefined) {
    throw new Error('Keycloak 26 needs Java 21 or later: install one or set KEYCLOAK_JAVA_HOME');
  }
  return newest;
}

export interface LocalKeycloak {
  readonly port: number;
  /** e.g. http://127.0.0.1:8180 */
  readonly url: string;
  /** The realm's issuer, the services' AUTH_ISSUER: http://127.0.0.1:8180/realms/stepwise */
  readonly issuer: string;
  /** The realm's key set, the services' AUTH_JWKS_URL. */
  readonly jwksUrl: string;
  readonly tokenUrl: string;
}

export function localKeycloak(port = DEFAULT_KEYCLOAK_PORT): LocalKeycloak {
  const url = `http://127.0.0.1:${port}`;
  const issuer = `${url}/realms/${KEYCLOAK_REALM}`;
  return {
    port,
    url,
    issuer,
    jwksUrl: `${issuer}/protocol/openid-connect/certs`,
    tokenUrl: `${issuer}/protocol/openid-connect/token`,
  };
}

/** True when the realm answers its discovery document with the expected issuer. */
export async function keycloakAnswers(keycloak: LocalKeycloak): Promise<boolean> {
  try {
    const response = await fetch(`${keycloak.issuer}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(2_000),
    });
    const body = (await response.json()) as { issuer?: unknown };
    return response.ok && body.issuer === keycloak.issuer;
  } catch {
    return false;
  }
}

/** The services that call another with a client credential of the realm (`${<SERVICE>_CLIENT_SECRET}` in it). */
const CALLING_SERVICES = ['notifications', 'scheduling', 'sessions'] as const;

/** A service client's secret as infra:up recorded it (undefined when there is none). */
function recordedSecret(service: (typeof CALLING_SERVICES)[number]): string | undefined {
  const name = `${service.toUpperCase()}_CLIENT_SECRET`;
  const recorded = process.env[name] ?? readInfraEnv()?.[name];
  return recorded !== undefined && recorded !== '' ? recorded : undefined;
}

/** A service client's secret as infra:up recorded it (a fresh one when there is none). */
function clientSecret(service: (typeof CALLING_SERVICES)[number]): string {
  return recordedSecret(service) ?? randomBytes(24).toString('base64url');
}

/** A client-credentials token request of a realm client (HTTP Basic with its secret), as a service sends it. */
export function keycloakClientCredentials(
  keycloak: LocalKeycloak,
  clientId: string,
  secret: string,
): Promise<Response> {
  return fetch(keycloak.tokenUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
    signal: AbortSignal.timeout(5_000),
  });
}

/**
 * True when the realm grants each calling service a token with the secret this checkout recorded (services
 * with none recorded have nothing to check): a Keycloak another checkout (or an earlier infra:up) started
 * answers discovery just the same, with other secrets, and every client-credentials call against it would
 * fail with 401.
 */
export async function keycloakHoldsSecrets(keycloak: LocalKeycloak): Promise<boolean> {
  for (const service of CALLING_SERVICES) {
    const secret = recordedSecret(service);
    if (secret === undefined) continue;
    try {
      const response = await keycloakClientCredentials(keycloak, service, secret);
      await response.body?.cancel();
      if (!response.ok) return false;
    } catch {
      return false;
    }
  }
  return true;
}

function runningPid(): number | undefined {
  if (!existsSync(pidFile())) return undefined;
  const pid = Number(readFileSync(pidFile(), 'utf8').trim());
  if (Number.isInteger(pid) && isAlive(pid) && commandLine(pid).includes('keycloak')) return pid;
  rmSync(pidFile(), { force: true });
  return undefined;
}

/**
 * Makes Keycloak answer on 127.0.0.1:`port` with the repository's realm: reuses one already answering there
 * that holds this checkout's client secrets, else starts a detached server recorded by PID (stopped by
 * `infra:down` or `stopKeycloak()`). One answering with other secrets is restarted when this tool started it,
 * and refused with the reason otherwise (another checkout's process is not ours to stop). `startedMs` is how
 * long this start took (undefined when reused).
 */
export async function ensureKeycloak(
  options: { port?: number; log?: (line: string) => void; timeoutMs?: number } = {},
): Promise<{ status: 'reused' | 'started'; keycloak: LocalKeycloak; startedMs?: number }> {
  const keycloak = localKeycloak(options.port);
  const log = options.log ?? (() => undefined);
  if (await keycloakAnswers(keycloak)) {
    if (await keycloakHoldsSecrets(keycloak)) return { status: 'reused', keycloak };
    if (runningPid() === undefined)
      throw new Error(
        `A Keycloak on ${keycloak.url} that this checkout did not start refuses its service clients' secrets ` +
          `(another checkout's, or one started before infra:up wrote ${infraDir('env.sh')}): stop it, or pass ` +
          'another port',
      );
    log(`Keycloak on ${keycloak.url} holds other client secrets: restarting it with this checkout's`);
    await stopKeycloak();
  }
  const dir = ensureKeycloakDistribution(log);
  // Imported at every start (dev-mem storage keeps nothing), so the realm is always the repository's.
  const importDir = join(dir, 'data', 'import');
  mkdirSync(importDir, { recursive: true });
  copyFileSync(keycloakRealmFile(), join(importDir, `${KEYCLOAK_REALM}-realm.json`));
  const javaHome = keycloakJavaHome();
  const started = Date.now();
  const pid = spawnDetached(
    'bash',
    [
      join(dir, 'bin', 'kc.sh'),
      'start-dev',
      '--http-host=127.0.0.1',
      `--http-port=${keycloak.port}`,
      // Tokens name this issuer whatever host name a browser used, so services can pin it.
      `--hostname=${keycloak.url}`,
      `--http-management-port=${keycloak.port + 1}`,
      '--db=dev-mem',
      '--import-realm',
    ],
    logFile(),
    dir,
    {
      JAVA_HOME: javaHome,
      PATH: `${join(javaHome, 'bin')}:${process.env['PATH'] ?? ''}`,
      // A small heap: a handful of users on a shared two-core machine.
      JAVA_OPTS_KC_HEAP: '-Xms64m -Xmx512m',
      // The realm's `${<SERVICE>_CLIENT_SECRET}`: each calling service's client secret, the one infra:up
      // generated (so the service's configuration works against either issuer).
      ...Object.fromEntries(
        CALLING_SERVICES.map((service) => [`${service.toUpperCase()}_CLIENT_SECRET`, clientSecret(service)]),
      ),
    },
  );
  writeFileSync(pidFile(), String(pid));
  log(`Starting Keycloak ${KEYCLOAK_VERSION} on ${keycloak.url} (log: ${logFile()})...`);
  try {
    await waitFor(
      `Keycloak's realm on ${keycloak.issuer} (log: ${logFile()})`,
      async () => {
        if (!isAlive(pid)) throw new Error(`Keycloak exited during start-up; see ${logFile()}`);
        return keycloakAnswers(keycloak);
      },
      // Under a load of 30 on two cores it took over four minutes; lightly loaded, about 40 s.
      options.timeoutMs ?? 480_000,
    );
  } catch (error) {
    // Nobody else knows this process: a start that failed leaves nothing running.
    await stopKeycloak();
    throw error;
  }
  const startedMs = Date.now() - started;
  log(`Keycloak answered after ${(startedMs / 1000).toFixed(1)} s`);
  return { status: 'started', keycloak, startedMs };
}

/** Stops the Keycloak this tool started, if any. */
export async function stopKeycloak(): Promise<boolean> {
  const pid = runningPid();
  if (pid === undefined) return false;
  await stopPid(pid, 20_000);
  rmSync(pidFile(), { force: true });
  return true;
}

/** The PID of the Keycloak this tool started, while it runs. */
export function keycloakPid(): number | undefined {
  return runningPid();
}

export interface StaffAccount {
  readonly username: string;
  /** The staff member's id: the token's `sub`. */
  readonly id: string;
  readonly roles: readonly string[];
  readonly sites: readonly string[];
}

interface RealmFile {
  readonly users: readonly { id: string; username: string; realmRoles: string[]; groups: string[] }[];
  readonly groups: readonly { subGroups: readonly { name: string; attributes: { sites: string[] } }[] }[];
  readonly clients: readonly {
    protocolMappers?: readonly { name: string; config: Record<string, string> }[];
  }[];
}

/** The realm's demo password (one for every demo account: local use only). */
export const DEMO_PASSWORD = 'stepwise-demo';

/** The demo staff of the realm, with the ids, roles and sites their tokens carry (to seed matching records). */
export function realmStaff(): { network: string; accounts: StaffAccount[] } {
  const realm = JSON.parse(readFileSync(keycloakRealmFile(), 'utf8')) as RealmFile;
  const sites = new Map(
    realm.groups.flatMap((g) => g.subGroups).map((g) => [`/sites/${g.name}`, g.attributes.sites]),
  );
  const network =
    realm.clients.flatMap((c) => c.protocolMappers ?? []).find((m) => m.name === 'network')?.config[
      'claim.value'
    ] ?? '';
  return {
    network,
    accounts: realm.users.map((user) => ({
      username: user.username,
      id: user.id,
      roles: user.realmRoles,
      sites: user.groups.flatMap((group) => sites.get(group) ?? []),
    })),
  };
}

/**
 * A token for a demo account by the test-only client's password grant (`stepwise-tests`; the console itself
 * signs in with the authorization code flow and PKCE).
 */
export async function keycloakPasswordToken(
  keycloak: LocalKeycloak,
  username: string,
  password = DEMO_PASSWORD,
): Promise<string> {
  const response = await fetch(keycloak.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: 'stepwise-tests', username, password }),
  });
  const body = (await response.json()) as { access_token?: string; error_description?: string };
  if (!response.ok || body.access_token === undefined) {
    throw new Error(`Keycloak refused ${username}: ${response.status} ${body.error_description ?? ''}`);
  }
  return body.access_token;
}
