import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '@stepwise/infra';
import { Client } from 'pg';
import { ALL_TOPICS, SERVICES, type ServiceName } from '@stepwise/contracts';
import {
  type MigrationClass,
  type ServiceDatabaseOptions,
  migrationTimestamp,
  runMigrations,
} from '@stepwise/platform';
import { type TestDatabase, createTestDatabase } from '../infra/test-database';
import { authEnv, kafkaBrokers, redisUrl } from '../infra/infra-env';
import { TcpProxy } from '../infra/tcp-proxy';
import { testTokens } from '../auth/test-tokens';
import { expectProblem } from '../http/bad-input';
import { http } from '../http/http-client';
import { waitFor } from '../infra/wait-for';
import { metricValue } from './metrics-suite';
import { ServiceProcess, droppingPort, freePort } from './service-process';
import { createTopics, deleteTopics, testTopicPrefix } from '../messaging/kafka-topics';

async function query(url: string, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

/**
 * The service's HTTP API is a published contract, like its events: the OpenAPI document it serves must equal
 * the one committed at `apps/<service>/openapi.json`, so a refactoring that changes a route, a parameter or a
 * schema fails here instead of surprising a client. After an intended change, rerun with
 * `UPDATE_API_SNAPSHOTS=1` and commit the file with the change.
 */
function expectPublishedApi(service: ServiceName, document: unknown): void {
  const file = join(workspaceRoot(), 'apps', service, 'openapi.json');
  const served = `${JSON.stringify(document, null, 2)}\n`;
  if (process.env['UPDATE_API_SNAPSHOTS'] === '1') {
    writeFileSync(file, served);
    return;
  }
  if (!existsSync(file)) throw new Error(`${file} is missing: run with UPDATE_API_SNAPSHOTS=1 and commit it`);
  expect(JSON.parse(served)).toEqual(JSON.parse(readFileSync(file, 'utf8')));
}

/** Postgres' SQLSTATE for "insufficient privilege". */
const INSUFFICIENT_PRIVILEGE = '42501';

/**
 * Proves a service's persistence is real and isolated: its migrations apply to its own schema as the owner
 * role; the application role reads and writes its tables but cannot change the schema or touch another
 * service's schema.
 */
export function describeServiceSchema(service: ServiceName, database: ServiceDatabaseOptions): void {
  describe(`${service} schema (real Postgres)`, () => {
    let db: TestDatabase;
    let applied: string[];

    beforeAll(async () => {
      db = await createTestDatabase(`${service}_schema`);
      applied = await runMigrations(db.service(service).migrationUrl, service, database);
    });
    afterAll(async () => {
      await db.drop();
    });

    it('applies every migration into its own schema and records it there', async () => {
      // TypeORM applies the listed migrations (libraries' and the service's own) in timestamp order.
      const expected = (database.migrations as MigrationClass[])
        .map((Migration) => new Migration().name ?? Migration.name)
        .sort((a, b) => migrationTimestamp(a) - migrationTimestamp(b));
      expect(applied).toEqual(expected);
      const recorded = await query(
        db.service(service).migrationUrl,
        `SELECT name FROM "${service}".migrations ORDER BY id`,
      );
      expect(recorded.map((r) => r['name'])).toEqual(expected);
      const elsewhere = await query(
        db.service(service).migrationUrl,
        `SELECT table_schema FROM information_schema.tables WHERE table_name = 'outbox'`,
      );
      expect(elsewhere).toEqual([{ table_schema: service }]);
    });

    it('has its outbox vacuumed by dead rows, not by a share of the table (it is a queue)', async () => {
      const [row] = await query(
        db.service(service).migrationUrl,
        `SELECT reloptions FROM pg_class WHERE oid = '"${service}".outbox'::regclass`,
      );
      expect(row?.['reloptions']).toEqual(
        expect.arrayContaining([
          'autovacuum_vacuum_scale_factor=0',
          'autovacuum_vacuum_threshold=5000',
          'autovacuum_analyze_scale_factor=0',
          'autovacuum_analyze_threshold=5000',
        ]),
      );
    });

    it('is idempotent: a second run applies nothing', async () => {
      await expect(runMigrations(db.service(service).migrationUrl, service, database)).resolves.toEqual([]);
    });

    it('lets the application role write a row and read it back', async () => {
      const url = db.service(service).url;
      const id = '01936f6e-0000-7000-8000-000000000001';
      await query(
        url,
        `INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload) VALUES ($1, 'client', 'c-1', 'care.test.Probe.v1', 'test.topic', $2)`,
        [id, JSON.stringify({ probe: true })],
      );
      const rows = await query(
        url,
        'SELECT id, aggregateid, payload, published_at FROM outbox WHERE id = $1',
        [id],
      );
      expect(rows).toEqual([{ id, aggregateid: 'c-1', payload: { probe: true }, published_at: null }]);
    });

    it('refuses DDL to the application role', async () => {
      const url = db.service(service).url;
      for (const ddl of [
        `CREATE TABLE "${service}".not_allowed (id int)`,
        'ALTER TABLE outbox ADD COLUMN not_allowed int',
        'DROP TABLE outbox',
        'CREATE TABLE public.not_allowed (id int)',
        'CREATE TEMPORARY TABLE not_allowed (id int)',
        'CREATE SCHEMA not_allowed',
      ]) {
        await expect(query(url, ddl)).rejects.toMatchObject({ code: INSUFFICIENT_PRIVILEGE });
      }
    });

    it("refuses the application role any access to another service's schema", async () => {
      const url = db.service(service).url;
      for (const other of SERVICES.filter((s) => s !== service)) {
        await runMigrations(db.service(other).migrationUrl, other, {
          schema: other,
          migrations: database.migrations,
        }).catch(() => undefined); // the other schema only needs to exist; its content is not under test
        await expect(query(url, `SELECT 1 FROM "${other}".outbox`)).rejects.toMatchObject({
          code: INSUFFICIENT_PRIVILEGE,
        });
        await expect(
          query(url, `INSERT INTO "${other}".outbox (id) VALUES (gen_random_uuid())`),
        ).rejects.toMatchObject({ code: INSUFFICIENT_PRIVILEGE });
      }
    });
  });
}

type Readiness = { status: number; body: { status?: string; details?: Record<string, { status: string }> } };

/**
 * Starts the built service as a process and proves its readiness follows its dependencies: 200 with all up,
 * 503 naming the dependency that is down, back to 200 when it returns; invalid configuration stops it with
 * a message naming the variable.
 */
export function describeServiceProcess(service: ServiceName): void {
  describe(`${service} process`, () => {
    let db: TestDatabase;
    const running: ServiceProcess[] = [];
    const proxies: TcpProxy[] = [];
    // Topics of its own: the processes' consumers must not read (or dead-letter) anyone else's records.
    const prefix = testTopicPrefix(`${service}_process`);
    const topics = ALL_TOPICS.map((t) => `${prefix}${t.name}`);

    beforeAll(async () => {
      await createTopics(topics, { partitions: 1 });
      db = await createTestDatabase(`${service}_process`);
      const migrated = await ServiceProcess.run(
        service,
        {
          DATABASE_URL: db.service(service).url,
          DATABASE_MIGRATION_URL: db.service(service).migrationUrl,
          KAFKA_BROKERS: kafkaBrokers().join(','),
          REDIS_URL: redisUrl(),
          ...authEnv(),
        },
        ['migrate'],
      );
      expect({ code: migrated.code, output: migrated.output }).toMatchObject({ code: 0 });
      expect(migrated.output).toContain('Applied migrations');
    });
    afterAll(async () => {
      await Promise.all(running.map((p) => p.stop()));
      await Promise.all(proxies.map((p) => p.close()));
      await db.drop();
      await deleteTopics(topics).catch(() => undefined);
    });

    async function start(overrides: Record<string, string> = {}): Promise<ServiceProcess> {
      const env = {
        PORT: String(await freePort()),
        DATABASE_URL: db.service(service).url,
        KAFKA_BROKERS: kafkaBrokers().join(','),
        REDIS_URL: redisUrl(),
        ...authEnv(),
        KAFKA_TOPIC_PREFIX: prefix,
        LOG_LEVEL: 'warn',
        ...overrides,
      };
      const process = ServiceProcess.start(service, env);
      running.push(process);
      await waitFor(
        `${service} to serve /health/live`,
        () => process.get('/health/live'),
        (r) => r.status === 200,
      );
      return process;
    }

    const readiness = (process: ServiceProcess): Promise<Readiness> =>
      process.get('/health/ready') as Promise<Readiness>;
    const downChecks = (r: Readiness): string[] =>
      Object.entries(r.body.details ?? {})
        .filter(([, check]) => check.status === 'down')
        .map(([name]) => name)
        .sort();
    // Readiness is sampled, and on a loaded machine an unrelated check can miss one probe (Redis still
    // connecting right after start, a slow PING). The promise is about the settled state: the dependency that
    // is gone is named, and nothing else is blamed for it while it stays gone.
    const settlesTo = (process: ServiceProcess, what: string, down: string[]): Promise<Readiness> =>
      waitFor(
        what,
        () => readiness(process),
        (r) => r.status === 503 && JSON.stringify(downChecks(r)) === JSON.stringify([...down].sort()),
        30_000,
      );

    it('is ready (200) when its database, Kafka and Redis answer and its consumer joined, and 503 while its database is unreachable', async () => {
      const postgres = await TcpProxy.start(db.service(service).url);
      proxies.push(postgres);
      const process = await start({ DATABASE_URL: postgres.rewrite(db.service(service).url) });

      const ready = await waitFor(
        'ready',
        () => readiness(process),
        (r) => r.status === 200,
      );
      expect(ready.body.details).toEqual({
        database: { status: 'up' },
        kafka: { status: 'up' },
        redis: { status: 'up' },
        consumer: { status: 'up' },
        lifecycle: { status: 'up' },
      });

      await postgres.cut();
      await settlesTo(process, '503 naming only the database', ['database']);
      expect((await process.get('/health/live')).status).toBe(200);

      await postgres.restore();
      await waitFor(
        'ready again once the database is back',
        () => readiness(process),
        (r) => r.status === 200,
      );
      // Each process leaves its consumer group when done, so the next test's process joins a group of one.
      await process.stop();
    });

    it('is not ready while Redis is unreachable, and recovers when it returns', async () => {
      const redis = await TcpProxy.start(redisUrl());
      proxies.push(redis);
      const process = await start({ REDIS_URL: redis.rewrite(redisUrl()) });
      await waitFor(
        'ready',
        () => readiness(process),
        (r) => r.status === 200,
      );

      await redis.cut();
      await settlesTo(process, '503 naming only Redis', ['redis']);
      // The readiness gauge a dashboard and the ServiceNotReady alert read says the same, per check.
      const readinessGauge = async (): Promise<Record<string, number | undefined>> => {
        const text = String((await process.get('/metrics')).body);
        return Object.fromEntries(
          ['database', 'redis', 'lifecycle'].map((check) => [
            check,
            metricValue(text, 'stepwise_readiness', { check }),
          ]),
        );
      };
      expect(await readinessGauge()).toEqual({ database: 1, redis: 0, lifecycle: 1 });

      await redis.restore();
      await waitFor(
        'ready again once Redis is back',
        () => readiness(process),
        (r) => r.status === 200,
      );
      expect(await readinessGauge()).toEqual({ database: 1, redis: 1, lifecycle: 1 });
      await process.stop();
    });

    it('is not ready while no Kafka broker answers', async () => {
      const kafka = await droppingPort();
      try {
        const process = await start({ KAFKA_BROKERS: `127.0.0.1:${kafka.port}` });
        // The consumer cannot join its group without a broker either; the database and Redis are not blamed.
        await settlesTo(process, '503 naming Kafka and the consumer', ['consumer', 'kafka']);
        await process.stop();
      } finally {
        await kafka.close();
      }
    });

    it('is not ready while migrations are pending', async () => {
      const fresh = await createTestDatabase(`${service}_unmigrated`);
      try {
        const process = await start({ DATABASE_URL: fresh.service(service).url });
        // The consumer waits for the migrations too: no record meets a schema older than the code.
        // Until its first connection the database check reports that instead: wait for the migrations.
        const notReady = await waitFor(
          '503 naming pending migrations',
          () => readiness(process),
          (r) =>
            r.status === 503 &&
            JSON.stringify(r.body).includes('migrations pending') &&
            downChecks(r).join() === 'consumer,database',
          30_000,
        );
        expect(downChecks(notReady)).toEqual(['consumer', 'database']);
        await process.stop();
      } finally {
        await fresh.drop();
      }
    });

    it('stops on SIGTERM with exit code 0', async () => {
      const process = await start();
      await waitFor(
        'ready',
        () => readiness(process),
        (r) => r.status === 200,
      );
      await expect(process.stop()).resolves.toEqual({ code: 0, signal: null });
    });

    it('answers /v1 routes only with a valid token (401 problem+json without), and serves its API docs publicly', async () => {
      const process = await start();
      await waitFor(
        'ready',
        () => readiness(process),
        (r) => r.status === 200,
      );
      const path = `/v1/audit/clients/${randomUUID()}/entries?from=2020-01-01T00:00:00Z&to=2030-01-01T00:00:00Z`;
      expectProblem(await http(`${process.url}${path}`), 401, 'token-missing');
      expectProblem(
        await http(`${process.url}${path}`, { token: await testTokens.expired({ roles: ['auditor'] }) }),
        401,
        'token-expired',
      );
      const token = await testTokens.valid({ roles: ['auditor'], sites: [randomUUID()] });
      const allowed = await http(`${process.url}${path}`, { token });
      expect({ status: allowed.status, body: allowed.body }).toEqual({
        status: 200,
        body: { items: [], nextCursor: null },
      });
      const docs = await http<{ openapi?: string; paths?: Record<string, unknown> }>(
        `${process.url}/docs-json`,
      );
      expect(docs.status).toBe(200);
      expect(Object.keys(docs.body.paths ?? {})).toContain('/v1/audit/clients/{clientId}/entries');
      expectPublishedApi(service, docs.body);
      expect((await http(`${process.url}/docs`)).status).toBe(200);
      await process.stop();
    });

    it('refuses to start with invalid configuration, naming each bad variable', async () => {
      const result = await ServiceProcess.run(
        service,
        { PORT: 'not-a-port', DATABASE_URL: 'mysql://nope', REDIS_URL: redisUrl() },
        [],
      );
      expect(result.code).toBe(78);
      expect(result.output).toContain(`Invalid configuration for ${service}`);
      expect(result.output).toContain('PORT: PORT must be an integer');
      expect(result.output).toContain('  - KAFKA_BROKERS: KAFKA_BROKERS is required\n');
      expect(result.output).toContain('DATABASE_URL: DATABASE_URL must be a postgres://');
      expect(result.output).toContain('KAFKA_BROKERS: KAFKA_BROKERS is required');
      expect(result.output).not.toContain('REDIS_URL:');
    });

    it('refuses to migrate without the owner role URL', async () => {
      const result = await ServiceProcess.run(
        service,
        {
          DATABASE_URL: db.service(service).url,
          KAFKA_BROKERS: kafkaBrokers().join(','),
          REDIS_URL: redisUrl(),
          ...authEnv(),
        },
        ['migrate'],
      );
      expect(result.code).toBe(78);
      expect(result.output).toContain('DATABASE_MIGRATION_URL is required by the migrate command');
    });
  });
}
