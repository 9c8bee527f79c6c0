import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clientSecretVariable, workspaceRoot } from '@stepwise/infra';
import { SERVICES } from '@stepwise/contracts';
import { ConfigError, type ServiceConfig, loadConfig } from '@stepwise/platform';
import { parse } from 'yaml';
import { configVariables } from './env-example';

/** One service of `docker-compose.yml`, as far as these checks read it (merge keys resolved). */
export interface ComposeService {
  readonly image?: string;
  readonly build?: { readonly context?: string; readonly target?: string };
  readonly environment?: Readonly<Record<string, string | number | boolean>>;
  readonly ports?: readonly string[];
  readonly healthcheck?: { readonly test?: readonly string[] };
  readonly depends_on?: Readonly<Record<string, { readonly condition?: string }>>;
  readonly profiles?: readonly string[];
}

/** What the runtime image itself sets (the Dockerfile's `ENV` lines of its `runtime` stage). */
export const RUNTIME_IMAGE_ENV: Readonly<Record<string, string>> = { NODE_ENV: 'production' };

/** The services of the repository's `docker-compose.yml`. */
export function composeServices(
  path = join(workspaceRoot(), 'docker-compose.yml'),
): Record<string, ComposeService> {
  const file = parse(readFileSync(path, 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  return file.services;
}

/** A compose service's environment as the container sees it: the image's variables, then the file's. */
export function composeEnvironment(service: ComposeService): Record<string, string> {
  const env: Record<string, string> = { ...RUNTIME_IMAGE_ENV };
  for (const [name, value] of Object.entries(service.environment ?? {})) env[name] = String(value);
  return env;
}

/**
 * How a compose service's configuration is judged: the app's own check of it (the port it would listen on and
 * the variables it reads, or each problem as `VARIABLE: rule`), and how compose must start and probe it.
 */
export interface ComposeApp {
  /** The port it would listen on and every variable it reads, or its configuration's problems. */
  check(env: Record<string, string>): { port: number; variables: readonly string[] } | { problems: string[] };
  /** The path its health check must ask. */
  readonly healthPath: string;
  /** Services it must wait for, with the condition. */
  readonly dependsOn: Readonly<Record<string, string>>;
  /** Variables holding URLs the app never fetches itself (an issuer is a token's identity). */
  readonly notFetched: readonly string[];
}

/** A service of apps/: its configuration class, validated by `loadConfig` as the service does at start. */
export function serviceComposeApp(service: string, schema: new () => ServiceConfig): ComposeApp {
  return {
    check: (env) => {
      try {
        return { port: loadConfig(service, schema, env).PORT, variables: configVariables(schema) };
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        return { problems: error.problems.map((p) => `${p.variable}: ${p.problems.join('; ')}`) };
      }
    },
    healthPath: '/health/ready',
    dependsOn: { bootstrap: 'service_completed_successfully' },
    notFetched: ['AUTH_ISSUER'],
  };
}

/**
 * The staff console's server (apps/console/server), checked by the console's own code: its `check-config`
 * command run on the environment (a process, because no library may import an app). It exits 78 naming each
 * bad variable, as at start, or prints the port it would listen on and the variables it reads.
 */
export function consoleComposeApp(): ComposeApp {
  const root = workspaceRoot();
  return {
    check: (env) => {
      const run = spawnSync(
        process.execPath,
        [
          join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
          join(root, 'apps/console/server/main.ts'),
          'check-config',
        ],
        { env: { PATH: process.env['PATH'], ...env }, encoding: 'utf8', timeout: 120_000 },
      );
      if (run.status === 0) return JSON.parse(run.stdout) as { port: number; variables: string[] };
      const named = [...run.stderr.matchAll(/^ {2}- (.+)$/gm)].map((m) => m[1] ?? '');
      return {
        problems: named.length > 0 ? named : [`check-config exited ${String(run.status)}: ${run.stderr}`],
      };
    },
    healthPath: '/healthz',
    dependsOn: Object.fromEntries(SERVICES.map((service) => [service, 'service_healthy'])),
    notFetched: ['OIDC_ISSUER'],
  };
}

/**
 * What keeps `docker compose --profile services up` from starting `service`, judged by the app's own
 * configuration check on the container's environment (NODE_ENV=production from the image): variables the
 * app does not read, every problem its check reports, and a port, mapping, health check or start order that
 * disagree.
 */
export function composeConfigProblems(
  service: string,
  app: ComposeApp | (new () => ServiceConfig),
  services: Readonly<Record<string, ComposeService>> = composeServices(),
): string[] {
  const judged = typeof app === 'function' ? serviceComposeApp(service, app) : app;
  const definition = services[service];
  if (definition === undefined) return [`docker-compose.yml has no service ${service}`];
  const env = composeEnvironment(definition);
  const problems: string[] = [];
  if (env.SERVICE !== service) problems.push(`SERVICE is ${env.SERVICE ?? 'unset'}, not ${service}`);
  const checked = judged.check(env);
  if ('problems' in checked) problems.push(...checked.problems);
  else {
    const known = new Set<string>([...checked.variables, 'SERVICE']);
    problems.push(
      ...Object.keys(env)
        .filter((name) => !known.has(name))
        .map((name) => `${name} is not a variable of the ${service} configuration`),
    );
    const mapping = `127.0.0.1:${checked.port}:${checked.port}`;
    if (JSON.stringify(definition.ports) !== JSON.stringify([mapping]))
      problems.push(`ports must be exactly ['${mapping}'] (loopback only, the configured port)`);
  }
  problems.push(...peerProblems(env, services, new Set(judged.notFetched)));
  if (definition.build?.target !== 'runtime') problems.push('must build the Dockerfile stage `runtime`');
  if (!(definition.healthcheck?.test ?? []).some((part) => part.includes(judged.healthPath)))
    problems.push(`its health check must ask ${judged.healthPath}`);
  for (const [other, condition] of Object.entries(judged.dependsOn))
    if (definition.depends_on?.[other]?.condition !== condition)
      problems.push(`must wait for ${other} (${condition})`);
  if (!(definition.profiles ?? []).includes('services')) problems.push('must be in the `services` profile');
  return problems;
}

/**
 * Addresses and credentials that must agree with the rest of the file: every URL the service calls names a
 * compose service (127.0.0.1 inside a container is the container itself), and a client secret is the one the
 * `jwks` identity server registers for that client (`<CLIENT>_CLIENT_SECRET` in its environment).
 */
function peerProblems(
  env: Record<string, string>,
  services: Readonly<Record<string, ComposeService>>,
  notFetched: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (notFetched.has(name) || !/^https?:\/\//.test(value)) continue;
    const host = new URL(value).hostname;
    if (services[host] === undefined) problems.push(`${name} (${value}) does not name a compose service`);
  }
  const clientId = env.AUTH_CLIENT_ID;
  if (clientId !== undefined) {
    const variable = clientSecretVariable(clientId);
    const registered = services.jwks?.environment?.[variable];
    if (
      env.AUTH_CLIENT_SECRET === undefined ||
      env.AUTH_CLIENT_SECRET === '' ||
      env.AUTH_CLIENT_SECRET !== registered
    )
      problems.push(`AUTH_CLIENT_SECRET must be the secret jwks registers for ${clientId} (its ${variable})`);
  }
  return problems;
}

/**
 * Proves `docker compose --profile services up` starts the service: its container gets every variable the
 * configuration requires in production, each value valid, none unknown, and its port, mapping and health
 * check agree. (No container engine is needed: the file is read as compose merges it.)
 */
export function describeComposeConfig(service: string, app: ComposeApp | (new () => ServiceConfig)): void {
  it(`${service} starts from docker-compose.yml's services profile (production configuration)`, () => {
    expect(composeConfigProblems(service, app)).toEqual([]);
  });
}
