import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clientSecretVariable, workspaceRoot } from '@stepwise/infra';
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
 * What keeps `docker compose --profile services up` from starting `service`, judged by the service's own
 * configuration schema on the container's environment (NODE_ENV=production from the image): variables the
 * schema does not know, every problem `loadConfig` reports, and a port, mapping or health check that disagree.
 */
export function composeConfigProblems(
  service: string,
  schema: new () => ServiceConfig,
  services: Readonly<Record<string, ComposeService>> = composeServices(),
): string[] {
  const definition = services[service];
  if (definition === undefined) return [`docker-compose.yml has no service ${service}`];
  const env = composeEnvironment(definition);
  const known = new Set<string>([...configVariables(schema), 'SERVICE']);
  const problems = Object.keys(env)
    .filter((name) => !known.has(name))
    .map((name) => `${name} is not a variable of the ${service} configuration`);
  if (env.SERVICE !== service) problems.push(`SERVICE is ${env.SERVICE ?? 'unset'}, not ${service}`);
  try {
    const config = loadConfig(service, schema, env);
    const mapping = `127.0.0.1:${config.PORT}:${config.PORT}`;
    if (JSON.stringify(definition.ports) !== JSON.stringify([mapping]))
      problems.push(`ports must be exactly ['${mapping}'] (loopback only, the configured PORT)`);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems.map((p) => `${p.variable}: ${p.problems.join('; ')}`));
  }
  problems.push(...peerProblems(env, services));
  if (definition.build?.target !== 'runtime') problems.push('must build the Dockerfile stage `runtime`');
  if (!(definition.healthcheck?.test ?? []).some((part) => part.includes('/health/ready')))
    problems.push('its health check must ask /health/ready');
  if (definition.depends_on?.bootstrap?.condition !== 'service_completed_successfully')
    problems.push('must wait for bootstrap to complete successfully');
  if (!(definition.profiles ?? []).includes('services')) problems.push('must be in the `services` profile');
  return problems;
}

/** The issuer is the tokens' identity, never fetched; every other URL must reach a compose service. */
const NOT_FETCHED = new Set(['AUTH_ISSUER']);

/**
 * Addresses and credentials that must agree with the rest of the file: every URL the service calls names a
 * compose service (127.0.0.1 inside a container is the container itself), and a client secret is the one the
 * `jwks` identity server registers for that client (`<CLIENT>_CLIENT_SECRET` in its environment).
 */
function peerProblems(
  env: Record<string, string>,
  services: Readonly<Record<string, ComposeService>>,
): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (NOT_FETCHED.has(name) || !/^https?:\/\//.test(value)) continue;
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
export function describeComposeConfig(service: string, schema: new () => ServiceConfig): void {
  it(`${service} starts from docker-compose.yml's services profile (production configuration)`, () => {
    expect(composeConfigProblems(service, schema)).toEqual([]);
  });
}
