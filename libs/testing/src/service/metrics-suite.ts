import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { ALL_TOPICS, type ServiceName } from '@stepwise/contracts';
import { createTopics, deleteTopics, testTopicPrefix } from '../messaging/kafka-topics';
import { kafkaBrokers, redisUrl } from '../infra/infra-env';
import { type TestDatabase, createTestDatabase } from '../infra/test-database';
import { waitFor } from '../infra/wait-for';
import { ServiceProcess, freePort } from './service-process';

/** The value of one sample (`name{labels} value`) in a Prometheus text exposition, or undefined. */
export function metricValue(
  exposition: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(name) || !/[{ ]/.test(line.charAt(name.length))) continue;
    const wanted = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
    if (wanted) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

/** Variables the identity layer needs, when the infrastructure provides them. */
function authEnv(): Record<string, string> {
  return Object.fromEntries(
    ['AUTH_ISSUER', 'AUTH_AUDIENCE', 'AUTH_JWKS_URL']
      .map((name) => [name, process.env[name]])
      .filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/**
 * Proves what an operator's dashboard reads from `/metrics` of the running service: HTTP RED by route
 * template, the relay lease holder, and the outbox backlog, its age and publish failures.
 */
export function describeServiceMetrics(service: ServiceName): void {
  describe(`${service} metrics`, () => {
    let db: TestDatabase;
    let process: ServiceProcess;
    const prefix = testTopicPrefix(`${service}_metrics`);
    const topics = ALL_TOPICS.map((t) => `${prefix}${t.name}`);

    beforeAll(async () => {
      await createTopics(topics, { partitions: 1 });
      db = await createTestDatabase(`${service}_metrics`);
      const base = {
        DATABASE_URL: db.service(service).url,
        KAFKA_BROKERS: kafkaBrokers().join(','),
        KAFKA_TOPIC_PREFIX: prefix,
        REDIS_URL: redisUrl(),
        ...authEnv(),
      };
      const migrated = await ServiceProcess.run(
        service,
        { ...base, DATABASE_MIGRATION_URL: db.service(service).migrationUrl },
        ['migrate'],
      );
      expect(migrated.code).toBe(0);
      process = ServiceProcess.start(service, { ...base, PORT: String(await freePort()), LOG_LEVEL: 'warn' });
      await waitFor(
        'ready',
        () => process.get('/health/ready'),
        (r) => r.status === 200,
      );
    });
    afterAll(async () => {
      await process.stop();
      await db.drop();
      await deleteTopics(topics).catch(() => undefined);
    });

    const scrape = async (): Promise<string> => {
      const response = await process.get('/metrics');
      expect(response.status).toBe(200);
      return String(response.body);
    };

    it('counts requests by route template and status, and shows this replica holding the relay lease', async () => {
      await process.get('/health/live');
      await process.get('/health/live');
      // Under the API prefix: Nest applies module middleware (the RED histogram) to /v1 and the excluded
      // operational paths only.
      await process.get(`/v1/no-such-route/${randomUUID()}`);
      const metrics = await waitFor(
        'the lease and the requests',
        scrape,
        (m) =>
          metricValue(m, 'stepwise_relay_lease_holder') === 1 &&
          (metricValue(m, 'http_server_request_duration_seconds_count', {
            route: '/health/live',
            status_code: '200',
          }) ?? 0) >= 2,
      );
      expect(
        metricValue(metrics, 'http_server_request_duration_seconds_count', {
          route: 'unmatched',
          status_code: '404',
        }),
      ).toBe(1);
      // Concrete paths (with ids) never become labels.
      expect(metrics).not.toContain('no-such-route');
      expect(metricValue(metrics, 'stepwise_outbox_backlog')).toBe(0);
      expect(metricValue(metrics, 'stepwise_outbox_oldest_unpublished_age_seconds')).toBe(0);
      expect(metrics).toContain(`service="${service}"`);
    });

    it('counts error answers by problem code, those refused before routing included', async () => {
      await process.get(`/v1/no-such-route/${randomUUID()}`);
      // Malformed JSON is refused by the body parser, before Nest routes the request.
      const malformed = await fetch(`${process.url}/v1/no-such-route`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"not json',
      });
      expect(malformed.status).toBe(400);
      const metrics = await scrape();
      expect(
        metricValue(metrics, 'stepwise_http_problems_total', {
          route: 'unmatched',
          status_code: '404',
          code: 'route-not-found',
        }),
      ).toBeGreaterThanOrEqual(1);
      expect(
        metricValue(metrics, 'stepwise_http_problems_total', {
          route: 'unmatched',
          status_code: '400',
          code: 'malformed-json',
        }),
      ).toBe(1);
    });

    it('shows each readiness check passing and the database pool the service really holds', async () => {
      const ready = await process.get('/health/ready');
      const checks = Object.keys((ready.body as { details: Record<string, unknown> }).details);
      const metrics = await scrape();
      // Exactly the checks /health/ready reports, each passing.
      for (const check of ['database', 'kafka', 'redis', 'lifecycle', ...checks])
        expect({ check, value: metricValue(metrics, 'stepwise_readiness', { check }) }).toEqual({
          check,
          value: 1,
        });
      expect(metricValue(metrics, 'stepwise_db_pool_max')).toBe(10);
      const active = metricValue(metrics, 'stepwise_db_pool_connections', { state: 'active' }) ?? -1;
      const idle = metricValue(metrics, 'stepwise_db_pool_connections', { state: 'idle' }) ?? -1;
      expect(active).toBeGreaterThanOrEqual(0);
      expect(active + idle).toBeGreaterThanOrEqual(1);
      expect(active + idle).toBeLessThanOrEqual(10);
      // Requests queued at this instant: the scrape's own queries, consumers and the relay compete for the pool.
      expect(
        metricValue(metrics, 'stepwise_db_pool_connections', { state: 'waiting' }),
      ).toBeGreaterThanOrEqual(0);
    });

    it('shows a backlog, its age and publish failures while the broker refuses an event', async () => {
      // A committed row for a topic the broker does not have: the relay keeps it and retries.
      const client = new Client({ connectionString: db.service(service).url });
      await client.connect();
      await client.query(
        `INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload, created_at)
         VALUES ($1, 'client', $2, 'care.test.Undeliverable.v1', $3, '{}', now() - interval '5 seconds')`,
        [randomUUID(), randomUUID(), `missing.topic.${randomUUID()}`],
      );
      await client.end();
      const metrics = await waitFor(
        'a failed publish',
        scrape,
        (m) => (metricValue(m, 'stepwise_event_publish_failures_total') ?? 0) >= 1,
        30_000,
      );
      expect(metricValue(metrics, 'stepwise_outbox_backlog')).toBe(1);
      expect(metricValue(metrics, 'stepwise_outbox_oldest_unpublished_age_seconds')).toBeGreaterThanOrEqual(
        5,
      );
    });
  });
}
