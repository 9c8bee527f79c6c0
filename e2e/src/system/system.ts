import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ALL_TOPICS, SERVICES, type ServiceName } from '@stepwise/contracts';
import {
  type InfraEnv,
  type ServiceDatabase,
  bootstrapDatabase,
  clockOverrideEnv,
  dropDatabase,
  ensureTopics,
  readEnvFile,
  sleep,
  workspaceRoot,
} from '@stepwise/infra';

const execFileAsync = promisify(execFile);

export const DEFAULT_PORTS: Readonly<Record<ServiceName, number>> = {
  intake: 3001,
  scheduling: 3002,
  sessions: 3003,
  notifications: 3004,
};

export interface SystemOptions {
  /** The infrastructure's variables (`ensureInfrastructure()` / `.infra/env.json`). */
  readonly infra: InfraEnv;
  /** A database of its own (dropped on stop) or the infrastructure's own `stepwise` database. */
  readonly database: { readonly kind: 'own'; readonly name: string } | { readonly kind: 'shared' };
  /** Prefix for every topic (created here when set); empty uses the real topics. */
  readonly topicPrefix: string;
  readonly ports: Readonly<Record<ServiceName, number>>;
  /** Where each service's JSON log goes (`<dir>/<service>.log`). */
  readonly logDir: string;
  /** Extra variables per service (e.g. notifications' SMTP settings), applied last. */
  readonly env?: Partial<Record<ServiceName, Record<string, string>>>;
  /** How each service is migrated and run (default: the built `dist/apps/<service>/main.js` on this machine). */
  readonly launcher?: ServiceLauncher;
  /** How long each service may take to become ready (default 90 s). */
  readonly readyTimeoutMs?: number;
}

/** Migrates and starts one service with a given environment: from the local build, or from an image. */
export interface ServiceLauncher {
  migrate(service: ServiceName, env: NodeJS.ProcessEnv): Promise<void>;
  /** One running replica; SIGTERM to the returned process stops it, its exit code is the service's. */
  spawn(service: ServiceName, env: NodeJS.ProcessEnv, logFile: string): ChildProcess;
}

export interface RunningSystem {
  readonly urls: Readonly<Record<ServiceName, string>>;
  readonly topicPrefix: string;
  /** The data access URL of each service's schema (application role), for assertions in tests. */
  readonly databases: Readonly<Record<ServiceName, string>>;
  /** SIGTERM to every service, waits for each to exit; returns the exit codes. */
  stop(): Promise<Record<ServiceName, number | null>>;
}

const mainJs = (service: ServiceName): string => join(workspaceRoot(), 'dist', 'apps', service, 'main.js');

/**
 * Starts the four services as separate processes, the way they run in production: each migrated by its
 * schema owner (`main.js migrate`), then served with its application role; resolves once every
 * `/health/ready` answers 200 (database migrated, Kafka and Redis reachable, consumer joined). Used by the
 * demo and by the end-to-end suite. The services must have been built (`nx run-many -t build`).
 */
export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const { infra } = options;
  const admin = required(infra, 'POSTGRES_ADMIN_URL');
  let databases: Record<ServiceName, ServiceDatabase> | undefined;
  if (options.database.kind === 'own') {
    const list = await bootstrapDatabase(admin, options.database.name);
    databases = Object.fromEntries(list.map((d) => [d.service, d])) as Record<ServiceName, ServiceDatabase>;
  }
  const brokers = required(infra, 'KAFKA_BROKERS').split(',');
  if (options.topicPrefix !== '') {
    await ensureTopics(
      brokers,
      ALL_TOPICS.map((t) => ({
        ...t,
        name: `${options.topicPrefix}${t.name}`,
        partitions: Math.min(t.partitions, 3),
      })),
    );
  }
  mkdirSync(options.logDir, { recursive: true });

  const urlOf = (service: ServiceName, kind: 'url' | 'migrationUrl'): string => {
    if (databases !== undefined) return databases[service][kind];
    const name = `${service.toUpperCase()}_DATABASE_${kind === 'url' ? 'URL' : 'MIGRATION_URL'}`;
    return required(infra, name);
  };
  const urls = Object.fromEntries(SERVICES.map((s) => [s, `http://127.0.0.1:${options.ports[s]}`])) as Record<
    ServiceName,
    string
  >;
  const envOf = (service: ServiceName): NodeJS.ProcessEnv =>
    serviceEnv(service, {
      infra,
      port: options.ports[service],
      databaseUrl: urlOf(service, 'url'),
      migrationUrl: urlOf(service, 'migrationUrl'),
      brokers: brokers.join(','),
      redisUrl: required(infra, 'REDIS_URL'),
      topicPrefix: options.topicPrefix,
      urls,
      extra: options.env?.[service],
    });

  const launcher = options.launcher ?? LOCAL_BUILD;
  // Migrations first, each by its own schema owner, as a Kubernetes Job would before the rollout.
  for (const service of SERVICES) await launcher.migrate(service, envOf(service));

  const children = new Map<ServiceName, ChildProcess>();
  for (const service of SERVICES) {
    children.set(service, launcher.spawn(service, envOf(service), join(options.logDir, `${service}.log`)));
  }

  const stop = async (): Promise<Record<ServiceName, number | null>> => {
    const codes = await Promise.all(
      SERVICES.map(async (service) => [service, await terminate(children.get(service))] as const),
    );
    if (options.database.kind === 'own')
      await dropDatabase(admin, options.database.name).catch(() => undefined);
    return Object.fromEntries(codes) as Record<ServiceName, number | null>;
  };

  try {
    await Promise.all(
      SERVICES.map((service) =>
        waitReady(service, urls[service], children.get(service), options.readyTimeoutMs),
      ),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const dataUrls = Object.fromEntries(SERVICES.map((s) => [s, urlOf(s, 'url')])) as Record<
    ServiceName,
    string
  >;
  return { urls, topicPrefix: options.topicPrefix, databases: dataUrls, stop };
}

/** Where one replica of a service finds the infrastructure and the other services. */
export interface ServiceSettings {
  /** The identity provider's variables (AUTH_* and the services' client secrets). */
  readonly infra: InfraEnv;
  readonly port: number;
  readonly databaseUrl: string;
  readonly migrationUrl: string;
  readonly brokers: string;
  readonly redisUrl: string;
  readonly topicPrefix: string;
  readonly urls: Readonly<Record<ServiceName, string>>;
  /** Applied last (e.g. notifications' SMTP settings). */
  readonly extra?: Record<string, string> | undefined;
}

/** A service's whole environment: its `.env.example` defaults, then where this system's parts are. */
export function serviceEnv(service: ServiceName, settings: ServiceSettings): NodeJS.ProcessEnv {
  const { infra, urls } = settings;
  return {
    PATH: process.env['PATH'],
    // A run under libfaketime moves the services' clocks with the runner's.
    ...clockOverrideEnv(),
    // The app's documented local defaults (its own settings such as keys for development), then this run's.
    ...envExample(service),
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    PORT: String(settings.port),
    DATABASE_URL: settings.databaseUrl,
    DATABASE_MIGRATION_URL: settings.migrationUrl,
    KAFKA_BROKERS: settings.brokers,
    KAFKA_TOPIC_PREFIX: settings.topicPrefix,
    REDIS_URL: settings.redisUrl,
    AUTH_ISSUER: required(infra, 'AUTH_ISSUER'),
    AUTH_AUDIENCE: required(infra, 'AUTH_AUDIENCE'),
    AUTH_JWKS_URL: required(infra, 'AUTH_JWKS_URL'),
    // The service credential for calls to other services (client credentials at the local identity).
    AUTH_TOKEN_URL: required(infra, 'AUTH_TOKEN_URL'),
    AUTH_CLIENT_ID: service,
    AUTH_CLIENT_SECRET: required(infra, `${service.toUpperCase()}_CLIENT_SECRET`),
    // Side-by-side systems on one Redis keep their timer queues apart, as their topics.
    TIMER_QUEUE_PREFIX: settings.topicPrefix,
    INTAKE_URL: urls.intake,
    SCHEDULING_URL: urls.scheduling,
    SESSIONS_URL: urls.sessions,
    ...settings.extra,
  };
}

/** `main.js migrate` by the schema owner, as a Kubernetes Job would before the rollout. */
export async function migrateService(service: ServiceName, env: NodeJS.ProcessEnv): Promise<void> {
  await execFileAsync(process.execPath, [mainJs(service), 'migrate'], { env }).catch(
    (error: { stderr?: string; message: string }) => {
      throw new Error(`${service} migrate failed: ${error.stderr ?? error.message}`);
    },
  );
}

/** One replica of a built service as a child process, its output appended to `logFile`. */
export function spawnService(service: ServiceName, env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, ['--enable-source-maps', mainJs(service)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  return child;
}

/** The services as `nx build` left them in dist/, run by this machine's Node. */
export const LOCAL_BUILD: ServiceLauncher = { migrate: migrateService, spawn: spawnService };

/** The assignments of an app's `.env.example`. */
function envExample(service: ServiceName): Record<string, string> {
  return readEnvFile(join(workspaceRoot(), 'apps', service, '.env.example'));
}

export function required(env: InfraEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') throw new Error(`The infrastructure did not provide ${name}`);
  return value;
}

export async function waitReady(
  service: ServiceName,
  url: string,
  child: ChildProcess | undefined,
  // A loaded machine (several suites at once) may need longer: E2E_READY_TIMEOUT_MS.
  timeoutMs = Number(process.env['E2E_READY_TIMEOUT_MS'] ?? 90_000),
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child?.exitCode !== null && child?.exitCode !== undefined) {
      throw new Error(`${service} exited with code ${child.exitCode} before it was ready (see its log)`);
    }
    const ready = await fetch(`${url}/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return;
    await sleep(250);
  }
  throw new Error(`${service} was not ready within ${timeoutMs / 1000} s (see its log)`);
}

/** SIGTERM, then the exit code; SIGKILL only if the service outlives its own shutdown deadline by far. */
export function terminate(child: ChildProcess | undefined): Promise<number | null> {
  if (child === undefined || child.exitCode !== null) return Promise.resolve(child?.exitCode ?? null);
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.once('exit', (code) => {
      clearTimeout(kill);
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}
