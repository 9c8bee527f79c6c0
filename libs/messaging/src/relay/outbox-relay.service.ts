import { hostname } from 'node:os';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { MetricsService, ServiceConfig } from '@stepwise/platform';
import { DataSource } from 'typeorm';
import { BROKER_PRODUCER, type BrokerProducer } from '../broker/broker';
import { OUTBOX_SCHEMA } from '../outbox/outbox.tokens';
import { OutboxRelay } from './outbox-relay';

/**
 * Runs the outbox relay inside the service process and exposes its metrics. It stops in
 * `beforeApplicationShutdown`, before the producer and the database close, so the batch in flight is
 * published and marked.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private readonly enabled: boolean;
  readonly relay: OutboxRelay;

  constructor(
    config: ServiceConfig,
    metrics: MetricsService,
    @Inject(OUTBOX_SCHEMA) private readonly schema: string,
    @Inject(BROKER_PRODUCER) producer: BrokerProducer,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    const holderId = `${hostname()}-${process.pid}`;
    const published = metrics.counter({
      name: 'stepwise_events_published_total',
      help: 'Events the outbox relay published and the broker acknowledged, by ce_type',
      labelNames: ['type'],
    });
    const failures = metrics.counter({
      name: 'stepwise_event_publish_failures_total',
      help: 'Outbox batches the broker did not acknowledge (retried)',
    });
    const latency = metrics.histogram({
      name: 'stepwise_outbox_publish_latency_seconds',
      help: 'From the outbox row being written to the broker acknowledging it',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30],
    });
    const lease = metrics.gauge({
      name: 'stepwise_relay_lease_holder',
      help: '1 on the replica whose outbox relay holds the lease, 0 on standbys',
      labelNames: ['holder'],
    });
    lease.set({ holder: holderId }, 0);
    const pruned = metrics.counter({
      name: 'stepwise_outbox_pruned_total',
      help: 'Published outbox rows deleted after the retention period',
    });
    this.registerBacklogGauges(metrics);

    this.relay = new OutboxRelay(
      {
        connectionString: config.DATABASE_URL,
        schema,
        holderId,
        batchSize: config.RELAY_BATCH_SIZE,
        pollIntervalMs: config.RELAY_POLL_INTERVAL_MS,
        leaseRetryMs: config.RELAY_LEASE_RETRY_MS,
        retentionMs: config.OUTBOX_RETENTION_HOURS * 3_600_000,
        topicPrefix: config.KAFKA_TOPIC_PREFIX,
      },
      producer,
      {
        info: (m) => this.logger.log(m),
        warn: (m) => this.logger.warn(m),
        error: (m) => this.logger.error(m),
      },
      {
        published: (records) => {
          const now = Date.now();
          for (const record of records) {
            published.inc({ type: record.type });
            latency.observe((now - record.createdAt.getTime()) / 1000);
          }
        },
        publishFailed: () => failures.inc(),
        leaseChanged: (holding) => lease.set({ holder: holderId }, holding ? 1 : 0),
        pruned: (rows) => pruned.inc(rows),
      },
    );
    this.enabled = config.RELAY_ENABLED;
  }

  /**
   * Backlog size and age are read at scrape time from the table itself, so every replica reports them. Each
   * gauge reads afresh: a cached reading could hide an event that committed just before the scrape.
   */
  private registerBacklogGauges(metrics: MetricsService): void {
    const read = (): Promise<{ count: number; age: number }> =>
      this.queryBacklog().catch(() => ({ count: Number.NaN, age: Number.NaN }));
    metrics.gauge({
      name: 'stepwise_outbox_backlog',
      help: 'Committed outbox rows not yet published',
      async collect() {
        this.set((await read()).count);
      },
    });
    metrics.gauge({
      name: 'stepwise_outbox_oldest_unpublished_age_seconds',
      help: 'Age of the oldest committed outbox row not yet published (0 when none)',
      async collect() {
        this.set((await read()).age);
      },
    });
  }

  private async queryBacklog(): Promise<{ count: number; age: number }> {
    if (!this.dataSource.isInitialized) return { count: 0, age: 0 };
    const [row] = await this.dataSource.query<{ count: string; age: number | null }[]>(
      `SELECT count(*) AS count, EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS age
         FROM "${this.schema}"."outbox" WHERE published_at IS NULL`,
    );
    return { count: Number(row?.count ?? 0), age: row?.age ?? 0 };
  }

  onApplicationBootstrap(): void {
    if (this.enabled) this.relay.start();
    else this.logger.log('Outbox relay disabled on this replica (RELAY_ENABLED=false)');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}
