import { type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_TOPICS, SERVICES, type ServiceName } from '@stepwise/contracts';
import {
  type InfraEnv,
  LocalKafkaBroker,
  LocalPostgresCluster,
  type ServiceDatabase,
  bootstrapDatabase,
  freePort,
  ensureTopics,
  isAlive,
  redisAnswers,
  startLocalRedis,
  stopLocalRedis,
  waitFor,
  withDatabase,
} from '@stepwise/infra';
import { Client } from 'pg';
import { migrateService, serviceEnv, spawnService, terminate, waitReady } from '../system/system';

/** One replica of one service: its port, and the process serving it while it runs. */
export interface Replica {
  readonly service: ServiceName;
  readonly index: number;
  readonly port: number;
  readonly url: string;
  child: ChildProcess | undefined;
  /** Increments at each start: names the replica's log file. */
  generation: number;
}

export interface FaultSystemOptions {
  /** Everything of this run (database cluster, broker, Redis, logs) goes under it. */
  readonly runDir: string;
  /** The identity provider's variables (`.infra/env.json`): tokens are minted by the shared local identity. */
  readonly identity: InfraEnv;
  readonly replicas: number;
  /** Extra variables per service. */
  readonly env?: Partial<Record<ServiceName, Record<string, string>>>;
  readonly log: (line: string) => void;
}

/**
 * A whole Stepwise of its own for fault runs: a PostgreSQL cluster (Debian's server binaries, `initdb` into the
 * run's folder), a Kafka broker and a Redis on free ports, the schemas, roles and topics created as `infra:up`
 * creates them, migrations, and `replicas` replicas of every service. Nothing is shared with the development
 * infrastructure but the local identity provider, so any part can be killed, paused or wiped.
 */
export class FaultSystem {
  private constructor(
    private readonly options: FaultSystemOptions,
    readonly postgres: LocalPostgresCluster,
    readonly kafka: LocalKafkaBroker,
    readonly redis: { readonly port: number; readonly home: string; pid: number },
    readonly databases: Readonly<Record<ServiceName, ServiceDatabase>>,
    readonly replicas: readonly Replica[],
  ) {}

  static async start(options: FaultSystemOptions): Promise<FaultSystem> {
    const { runDir, log } = options;
    mkdirSync(runDir, { recursive: true });
    const postgres = new LocalPostgresCluster(join(runDir, 'postgres', 'data'), await freePort());
    postgres.init();
    await postgres.start();
    const stopEarly = async (): Promise<void> => {
      await kafka.stop().catch(() => undefined);
      await stopLocalRedis(join(runDir, 'redis')).catch(() => undefined);
      postgres.stop('fast');
    };
    log(`  PostgreSQL 15 on 127.0.0.1:${postgres.port} (${postgres.dataDir})`);
    const kafka = new LocalKafkaBroker(
      {
        name: join('faults', runDir.split('/').pop() ?? 'run', 'kafka'),
        port: await freePort(),
        controllerPort: await freePort(),
        heap: '512m',
      },
      log,
    );
    const redisHome = join(runDir, 'redis');
    const redisPort = await freePort();
    let redisPid = 0;
    let databases: Record<ServiceName, ServiceDatabase>;
    try {
      await kafka.ensureRunning();
      redisPid = await startLocalRedis(redisPort, redisHome);
      // The schemas, roles and topics exactly as `infra:up` makes them.
      databases = Object.fromEntries(
        (await bootstrapDatabase(postgres.adminUrl, 'stepwise')).map((d) => [d.service, d]),
      ) as Record<ServiceName, ServiceDatabase>;
      await ensureTopics([kafka.bootstrap], ALL_TOPICS);
    } catch (error) {
      await stopEarly();
      throw error;
    }
    log(`  Redis on 127.0.0.1:${redisPort}`);
    log(`  Kafka on ${kafka.bootstrap}, ${ALL_TOPICS.length} topics`);

    const replicas: Replica[] = [];
    for (const service of SERVICES) {
      for (let index = 0; index < options.replicas; index += 1) {
        const port = await freePort();
        replicas.push({
          service,
          index,
          port,
          url: `http://127.0.0.1:${port}`,
          child: undefined,
          generation: 0,
        });
      }
    }
    const system = new FaultSystem(
      options,
      postgres,
      kafka,
      { port: redisPort, home: redisHome, pid: redisPid },
      databases,
      replicas,
    );
    try {
      for (const service of SERVICES) {
        await migrateService(service, system.envOf(system.replicasOf(service)[0] as Replica));
      }
      mkdirSync(join(runDir, 'logs'), { recursive: true });
      await Promise.all(replicas.map((replica) => system.startReplica(replica)));
    } catch (error) {
      await system.stop();
      throw error;
    }
    log(`  ${replicas.length} service replicas ready`);
    return system;
  }

  /** The superuser's URL of the cluster's `stepwise` database (for the checker). */
  get databaseAdminUrl(): string {
    return withDatabase(this.postgres.adminUrl, 'stepwise');
  }

  /** Outbox rows not yet published, over every service's schema. */
  async unpublishedOutboxRows(): Promise<number> {
    const db = new Client({ connectionString: this.databaseAdminUrl, connectionTimeoutMillis: 2000 });
    await db.connect();
    try {
      const union = SERVICES.map(
        (s) => `SELECT count(*)::int AS n FROM "${s}".outbox WHERE published_at IS NULL`,
      ).join(' UNION ALL ');
      const { rows } = await db.query<{ n: number }>(`SELECT sum(n)::int AS n FROM (${union}) counts`);
      return rows[0]?.n ?? 0;
    } finally {
      await db.end();
    }
  }

  /** Notifications due now that are not yet sent, suppressed or failed. */
  async pendingNotifications(): Promise<number> {
    const db = new Client({ connectionString: this.databaseAdminUrl, connectionTimeoutMillis: 2000 });
    await db.connect();
    try {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM notifications.notifications
          WHERE status IN ('queued', 'sending') AND due_at <= now()`,
      );
      return rows[0]?.n ?? 0;
    } finally {
      await db.end();
    }
  }

  /**
   * Whether notifications has projected the site (its time zone, for quiet hours) and an active member of its
   * staff who receives the site's urgent alerts (a clinical supervisor or program director), read from its
   * projection tables as the checker reads them. An urgent screening at the site before that has no one to
   * alert: the load must not start until it is true.
   */
  async notificationsKnowStaff(siteId: string): Promise<boolean> {
    const db = new Client({ connectionString: this.databaseAdminUrl, connectionTimeoutMillis: 2000 });
    await db.connect();
    try {
      const { rows } = await db.query<{ site: boolean; staff: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM notifications.sites WHERE site_id = $1) AS site,
                EXISTS (SELECT 1 FROM notifications.staff
                         WHERE active AND $1 = ANY(site_ids)
                           AND roles && ARRAY['clinical-supervisor', 'program-director']) AS staff`,
        [siteId],
      );
      return rows[0]?.site === true && rows[0].staff;
    } finally {
      await db.end();
    }
  }

  /** Waits until `notificationsKnowStaff(siteId)`; returns how long that took (ms). */
  async waitForStaffProjection(siteId: string, timeoutMs = 180_000): Promise<number> {
    const started = Date.now();
    await waitFor(
      "notifications to know the site's staff",
      () => this.notificationsKnowStaff(siteId),
      timeoutMs,
    );
    return Date.now() - started;
  }

  get redisUrl(): string {
    return `redis://127.0.0.1:${this.redis.port}`;
  }

  /** The first replica's URL of each service (what services call each other through). */
  private get serviceUrls(): Record<ServiceName, string> {
    return Object.fromEntries(SERVICES.map((s) => [s, this.replicasOf(s)[0]?.url ?? ''])) as Record<
      ServiceName,
      string
    >;
  }

  replicasOf(service: ServiceName): Replica[] {
    return this.replicas.filter((r) => r.service === service);
  }

  envOf(replica: Replica): NodeJS.ProcessEnv {
    const db = this.databases[replica.service];
    return serviceEnv(replica.service, {
      infra: this.options.identity,
      port: replica.port,
      databaseUrl: db.url,
      migrationUrl: db.migrationUrl,
      brokers: this.kafka.bootstrap,
      redisUrl: this.redisUrl,
      topicPrefix: '',
      urls: this.serviceUrls,
      extra: {
        // Kills are the point of this system: a killed member's partitions move after 10 s, not 30 s.
        CONSUMER_SESSION_TIMEOUT_MS: '10000',
        ...this.options.env?.[replica.service],
      },
    });
  }

  /** Starts a replica's process and waits until its `/health/ready` answers 200. */
  async startReplica(replica: Replica, timeoutMs = 120_000): Promise<void> {
    replica.generation += 1;
    const logFile = join(
      this.options.runDir,
      'logs',
      `${replica.service}-${replica.index}.${replica.generation}.log`,
    );
    replica.child = spawnService(replica.service, this.envOf(replica), logFile);
    await waitReady(replica.service, replica.url, replica.child, timeoutMs);
  }

  /** SIGKILL: no shutdown hook runs, in-flight requests and transactions are cut. */
  async killReplica(replica: Replica): Promise<void> {
    const child = replica.child;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM and the exit code (the graceful path a rollout takes). */
  async stopReplica(replica: Replica): Promise<number | null> {
    const code = await terminate(replica.child);
    replica.child = undefined;
    return code;
  }

  brokerPid(): number {
    const pid = this.kafka.runningPid();
    if (pid === undefined) throw new Error('The broker is not running');
    return pid;
  }

  /** SIGKILL of the broker, then a start on the same data (the log is recovered from disk). */
  async killBroker(downMs: number): Promise<void> {
    const pid = this.brokerPid();
    process.kill(pid, 'SIGKILL');
    await waitFor('the broker to die', () => Promise.resolve(!isAlive(pid)), 10_000);
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.kafka.ensureRunning();
  }

  /** SIGSTOP for `pausedMs` (a broker frozen by a long GC pause or a stalled VM), then SIGCONT. */
  async pauseBroker(pausedMs: number): Promise<void> {
    const pid = this.brokerPid();
    process.kill(pid, 'SIGSTOP');
    try {
      await new Promise((resolve) => setTimeout(resolve, pausedMs));
    } finally {
      process.kill(pid, 'SIGCONT');
    }
  }

  /** PostgreSQL fast restart: every connection cut, open transactions rolled back. */
  restartPostgres(): Promise<void> {
    return this.postgres.restart();
  }

  /** SIGKILL of Redis and a new, empty one on the same port: rate-limit counters and timer queues are gone. */
  async loseRedis(downMs: number): Promise<void> {
    process.kill(this.redis.pid, 'SIGKILL');
    await waitFor('Redis to die', () => Promise.resolve(!isAlive(this.redis.pid)), 10_000);
    rmSync(join(this.redis.home, 'redis.pid'), { force: true });
    await new Promise((resolve) => setTimeout(resolve, downMs));
    this.redis.pid = await startLocalRedis(this.redis.port, this.redis.home);
    await waitFor('the new Redis', () => redisAnswers(this.redisUrl), 10_000);
  }

  /** True when every replica answers `/health/ready` with 200. */
  async allReady(): Promise<boolean> {
    const answers = await Promise.all(
      this.replicas.map((r) =>
        fetch(`${r.url}/health/ready`, { signal: AbortSignal.timeout(2000) }).then(
          (res) => res.status === 200,
          () => false,
        ),
      ),
    );
    return answers.every(Boolean);
  }

  /** What each replica that is not ready says about itself (for the error when one never recovers). */
  async notReady(): Promise<string[]> {
    const answers = await Promise.all(
      this.replicas.map(async (r) => {
        const body = await fetch(`${r.url}/health/ready`, { signal: AbortSignal.timeout(2000) }).then(
          async (res) => (res.status === 200 ? undefined : `${res.status} ${await res.text()}`),
          (error: unknown) => (error as Error).message,
        );
        return body === undefined ? undefined : `${r.service}#${r.index}: ${body.slice(0, 400)}`;
      }),
    );
    return answers.filter((a): a is string => a !== undefined);
  }

  /** Stops every replica (SIGTERM), then Redis, the broker and the database cluster. */
  async stop(): Promise<void> {
    await Promise.all(this.replicas.map((r) => this.stopReplica(r)));
    await stopLocalRedis(this.redis.home).catch(() => undefined);
    await this.kafka.stop().catch(() => undefined);
    try {
      this.postgres.stop('fast');
    } catch {
      // Already down: nothing to stop.
    }
  }
}
