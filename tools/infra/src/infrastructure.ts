import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { ALL_TOPICS, SERVICES } from '@stepwise/contracts';
import { localIdentity } from './identity';
import { ensureJwksServer, jwksAnswers, stopJwksServer } from './jwks';
import { DEFAULT_KAFKA, LocalKafkaBroker, brokerAnswers, ensureTopics } from './kafka-broker';
import { bootstrapDatabase, postgresAnswers } from './postgres';
import { commandExists, isAlive, run, sleep, waitFor } from './process-utils';
import { redisAnswers, startLocalRedis, stopLocalRedis } from './redis';
import { ensureTokenEndpoint } from './token-endpoint';
import { infraDir, workspaceRoot } from './workspace';

export const DEFAULT_DATABASE = 'stepwise';
const LOCAL_POSTGRES_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const DOCKER_POSTGRES_ADMIN_URL = 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';

export type Source = 'environment' | 'docker' | 'local' | 'containers';

/** What the services and tests need to reach the infrastructure, as environment variables. */
export type InfraEnv = Record<string, string>;

export const envFile = (): string => infraDir('env.json');
export const shellEnvFile = (): string => infraDir('env.sh');

type Log = (line: string) => void;

function dockerEngineRunning(): boolean {
  if (!commandExists('docker')) return false;
  return spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

/** On a Debian machine without the servers, install them (as root only; CI machines already have them). */
function installWithApt(packages: string[], log: Log): void {
  if (!commandExists('apt-get') || process.getuid?.() !== 0) {
    throw new Error(`Install ${packages.join(' and ')} (or set the connection variables) and run again`);
  }
  log(`Installing ${packages.join(', ')} from Debian's packages...`);
  run('apt-get', ['install', '-y', '--no-install-recommends', ...packages]);
}

async function ensureLocalPostgres(log: Log): Promise<string> {
  if (await postgresAnswers(LOCAL_POSTGRES_ADMIN_URL)) return 'reused';
  if (!commandExists('pg_ctlcluster')) installWithApt(['postgresql'], log);
  const version = run('ls', ['/etc/postgresql']).trim().split('\n')[0] ?? '';
  run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start']);
  await waitFor('PostgreSQL on 127.0.0.1:5432', () => postgresAnswers(LOCAL_POSTGRES_ADMIN_URL), 30_000);
  return 'started';
}

async function ensureLocalRedis(log: Log): Promise<string> {
  if (await redisAnswers(LOCAL_REDIS_URL)) return 'reused';
  if (!commandExists('redis-server')) installWithApt(['redis-server'], log);
  await startLocalRedis(6379);
  return 'started';
}

async function ensureDocker(log: Log): Promise<void> {
  log('Docker engine found: starting postgres, redis and kafka with docker compose...');
  run('docker', ['compose', 'up', '-d', '--wait', 'postgres', 'redis', 'kafka'], { cwd: workspaceRoot() });
}

/**
 * Serialises concurrent `up` runs (several test runners may start at once) with an exclusive lock file.
 * A lock left by a dead process, or older than five minutes, is taken over.
 */
async function withLock<T>(work: () => Promise<T>): Promise<T> {
  mkdirSync(infraDir(), { recursive: true });
  const lock = infraDir('up.lock');
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch {
      const holder = Number(readFileSync(lock, { encoding: 'utf8', flag: 'a+' }).trim());
      const stale = !isAlive(holder) || Date.now() - statSync(lock).mtimeMs > 5 * 60_000;
      if (stale) rmSync(lock, { force: true });
      else if (Date.now() > deadline) throw new Error(`Another infrastructure start holds ${lock}`);
      else await sleep(250);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { force: true });
  }
}

export interface EnsureOptions {
  /**
   * PostgreSQL's admin URL, Redis's URL and Kafka's brokers of containers started for one test run
   * (libs/testing): used instead of any other source, bootstrapped the same way, and not written to the
   * checkout's .infra/env.json and env.sh.
   */
  readonly containers?: { readonly postgres: string; readonly redis: string; readonly kafka: string };
}

/**
 * Ensures PostgreSQL, Redis and Kafka are up, the database with each service's schema and roles exists and
 * the topics match the declared map. Sources, in order: variables already set in the environment
 * (POSTGRES_ADMIN_URL, REDIS_URL, KAFKA_BROKERS) → a running Docker engine → local processes.
 */
export async function ensureInfrastructure(
  log: Log = () => undefined,
  options: EnsureOptions = {},
): Promise<InfraEnv> {
  return withLock(async () => {
    const given = options.containers ?? {
      postgres: process.env['POSTGRES_ADMIN_URL'],
      redis: process.env['REDIS_URL'],
      kafka: process.env['KAFKA_BROKERS'],
    };
    const allGiven = given.postgres !== undefined && given.redis !== undefined && given.kafka !== undefined;
    const source: Source =
      options.containers !== undefined
        ? 'containers'
        : allGiven
          ? 'environment'
          : dockerEngineRunning()
            ? 'docker'
            : 'local';
    const lines: string[] = [];
    let adminUrl = given.postgres ?? LOCAL_POSTGRES_ADMIN_URL;
    const redisUrl = given.redis ?? LOCAL_REDIS_URL;
    const brokers = given.kafka ?? `127.0.0.1:${DEFAULT_KAFKA.port}`;

    if (source === 'docker') {
      await ensureDocker(log);
      adminUrl = given.postgres ?? DOCKER_POSTGRES_ADMIN_URL;
    }
    if (source === 'local') {
      if (given.postgres === undefined) lines.push(`postgres  ${await ensureLocalPostgres(log)}`);
      if (given.redis === undefined) lines.push(`redis     ${await ensureLocalRedis(log)}`);
      if (given.kafka === undefined)
        lines.push(`kafka     ${await new LocalKafkaBroker(DEFAULT_KAFKA, log).ensureRunning()}`);
    }
    await waitFor(`PostgreSQL at ${redact(adminUrl)}`, () => postgresAnswers(adminUrl), 60_000);
    await waitFor(`Redis at ${redisUrl}`, () => redisAnswers(redisUrl), 30_000);
    await waitFor(`Kafka at ${brokers}`, () => brokerAnswers(brokers.split(',')), 90_000);

    const database = process.env['STEPWISE_DATABASE'] ?? DEFAULT_DATABASE;
    const databases = await bootstrapDatabase(adminUrl, database, SERVICES);
    const topics = await ensureTopics(brokers.split(','), ALL_TOPICS);
    const auth = await ensureIdentity(lines);

    const env: InfraEnv = {
      INFRA_SOURCE: source,
      POSTGRES_ADMIN_URL: adminUrl,
      STEPWISE_DATABASE: database,
      REDIS_URL: redisUrl,
      KAFKA_BROKERS: brokers,
      ...auth,
    };
    for (const db of databases) {
      const prefix = db.service.toUpperCase();
      env[`${prefix}_DATABASE_URL`] = db.url;
      env[`${prefix}_DATABASE_MIGRATION_URL`] = db.migrationUrl;
    }
    // Containers live for one test run only: the checkout's files keep naming the lasting infrastructure.
    if (source !== 'containers') writeEnv(env);
    log(`Infrastructure ready (source: ${source})`);
    for (const line of lines) log(`  ${line}`);
    log(`  PostgreSQL ${redact(adminUrl)} database "${database}", schemas ${SERVICES.join(', ')}`);
    log(`  Redis      ${redisUrl}`);
    log(
      `  Kafka      ${brokers} (${topics.length} topics: ${topics.filter((t) => t.action !== 'existing').length} changed)`,
    );
    log(`  Identity   issuer ${auth['AUTH_ISSUER']}, keys ${auth['AUTH_JWKS_URL']}`);
    if (auth['AUTH_TOKEN_URL'] !== undefined)
      log(`  Tokens     ${auth['AUTH_TOKEN_URL']} (client credentials)`);
    if (source !== 'containers') log(`  Variables  ${shellEnvFile()} (source it) and ${envFile()}`);
    return env;
  });
}

/**
 * The token issuer the services trust. An identity provider named by AUTH_JWKS_URL (with AUTH_ISSUER) in the
 * environment is used as given; otherwise the local key pair is created once and its JWKS served on
 * loopback, so `npm run token` and tests can mint tokens the services accept.
 */
async function ensureIdentity(lines: string[]): Promise<InfraEnv> {
  const identity = localIdentity();
  const given = { issuer: process.env['AUTH_ISSUER'], jwksUrl: process.env['AUTH_JWKS_URL'] };
  // A shell that sourced .infra/env.sh names the local JWKS: that one is (re)started, not merely awaited.
  if (given.issuer !== undefined && given.jwksUrl !== undefined && given.jwksUrl !== identity.jwksUrl) {
    await waitFor(`the JWKS at ${given.jwksUrl}`, () => jwksAnswers(given.jwksUrl ?? ''), 30_000);
    return {
      AUTH_ISSUER: given.issuer,
      AUTH_AUDIENCE: process.env['AUTH_AUDIENCE'] ?? 'stepwise',
      AUTH_JWKS_URL: given.jwksUrl,
      ...(process.env['AUTH_TOKEN_URL'] === undefined
        ? {}
        : { AUTH_TOKEN_URL: process.env['AUTH_TOKEN_URL'] }),
    };
  }
  const served = await ensureJwksServer(identity);
  // The same server issues service tokens (client credentials): one secret per service, in .infra/auth/clients.json.
  const token = await ensureTokenEndpoint(served.identity, SERVICES);
  lines.push(`jwks      ${served.status} on port ${token.identity.port}`);
  return {
    AUTH_ISSUER: token.identity.issuer,
    AUTH_AUDIENCE: token.identity.audience,
    AUTH_JWKS_URL: token.identity.jwksUrl,
    ...token.env,
  };
}

function writeEnv(env: InfraEnv): void {
  writeFileSync(envFile(), `${JSON.stringify(env, null, 2)}\n`);
  const shell = Object.entries(env)
    .map(([key, value]) => `export ${key}='${value.replace(/'/g, `'\\''`)}'`)
    .join('\n');
  writeFileSync(shellEnvFile(), `${shell}\n`);
}

export function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** Reads the variables the last `up` wrote, or undefined when it has not run on this checkout. */
export function readInfraEnv(): InfraEnv | undefined {
  try {
    return JSON.parse(readFileSync(envFile(), 'utf8')) as InfraEnv;
  } catch {
    return undefined;
  }
}

/**
 * Stops what this tool started (Kafka, Redis and the JWKS server by recorded PID, docker compose services);
 * never a system service.
 */
export async function stopInfrastructure(log: Log = () => undefined): Promise<void> {
  if (readInfraEnv()?.['INFRA_SOURCE'] === 'docker' && dockerEngineRunning()) {
    run('docker', ['compose', 'stop', 'postgres', 'redis', 'kafka'], { cwd: workspaceRoot() });
    log('Stopped the docker compose infrastructure');
  }
  log(
    (await new LocalKafkaBroker(DEFAULT_KAFKA).stop()) ? 'Stopped Kafka' : 'Kafka: not started by this tool',
  );
  log((await stopLocalRedis()) ? 'Stopped Redis' : 'Redis: not started by this tool');
  log((await stopJwksServer()) ? 'Stopped the JWKS server' : 'JWKS server: not started by this tool');
}
