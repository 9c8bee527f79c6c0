import {
  type BeforeApplicationShutdown,
  type Type,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { type ServiceName, deadLetterTopic } from '@stepwise/contracts';
import { MetricsService, ReadinessRegistry, SERVICE_NAME, ServiceConfig } from '@stepwise/platform';
import { DataSource } from 'typeorm';
import { BROKER_PRODUCER, type BrokerProducer } from '../broker/broker';
import { KafkajsSubscriber } from '../kafkajs/kafkajs-subscriber';
import { Outbox } from '../outbox/outbox';
import { OUTBOX_SCHEMA } from '../outbox/outbox.tokens';
import { OutboxWakeUpService } from '../outbox/outbox-wake-up.service';
import { consumerMetrics } from './consumer-metrics';
import { EventConsumer } from './event-consumer';
import { type AnyEventHandlerSet } from './event-handler-set';

export const CONSUMER_HANDLER_SET = Symbol('CONSUMER_HANDLER_SET');

const DATABASE_WAIT_MS = 250;

/**
 * Runs the service's event consumer (group `stepwise-<service>`) in the Nest lifecycle. It starts once the
 * database is ready — connected, migrations applied (the inbox and the handlers' tables need it) — reports readiness as "consumer" (a member of its group), and
 * stops in `beforeApplicationShutdown` — stop fetching, finish and commit in-flight records, leave the group —
 * before the producer and the database close.
 */
@Injectable()
export class EventConsumerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('EventConsumer');
  private consumer: EventConsumer | undefined;
  private starting: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly config: ServiceConfig,
    private readonly metrics: MetricsService,
    private readonly readiness: ReadinessRegistry,
    private readonly moduleRef: ModuleRef,
    private readonly outbox: Outbox,
    private readonly wakeUp: OutboxWakeUpService,
    @Inject(SERVICE_NAME) readonly service: ServiceName,
    @Inject(OUTBOX_SCHEMA) private readonly schema: string,
    @Inject(CONSUMER_HANDLER_SET) private readonly handlerSetType: Type<AnyEventHandlerSet>,
    @Inject(BROKER_PRODUCER) private readonly producer: BrokerProducer,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** A consumer over the app's handler set: the one this service runs, or one for a command (dead-letter replay). */
  build(): EventConsumer {
    const handlerSet = this.moduleRef.get(this.handlerSetType, { strict: false });
    const prefix = this.config.KAFKA_TOPIC_PREFIX;
    return new EventConsumer(
      {
        name: this.service,
        schema: this.schema,
        deadLetterTopic: `${prefix}${deadLetterTopic(this.service)}`,
        maxAttempts: this.config.CONSUMER_MAX_ATTEMPTS,
        topicPrefix: prefix,
      },
      new KafkajsSubscriber({
        clientId: `stepwise-${this.service}-consumer`,
        brokers: this.config.KAFKA_BROKERS,
        groupId: this.groupId(),
        topics: handlerSet.topics.map((topic) => `${prefix}${topic}`),
        concurrency: this.config.CONSUMER_CONCURRENCY,
      }),
      this.dataSource,
      this.outbox,
      this.producer,
      handlerSet.handlers,
      {
        info: (m) => this.logger.log(m),
        warn: (m) => this.logger.warn(m),
        error: (m) => this.logger.error(m),
      },
      consumerMetrics(this.metrics, this.service),
      this.wakeUp,
    );
  }

  /**
   * `stepwise-<service>`, under the topic prefix: environments sharing a cluster (tests, side-by-side systems)
   * must not share consumer groups either — members of one group with different subscriptions leave
   * partitions unassigned.
   */
  groupId(suffix = ''): string {
    return `${this.config.KAFKA_TOPIC_PREFIX}stepwise-${this.service}${suffix}`;
  }

  onApplicationBootstrap(): void {
    if (!this.config.CONSUMER_ENABLED) {
      this.logger.log('Event consumer disabled on this replica (CONSUMER_ENABLED=false)');
      return;
    }
    const consumer = this.build();
    this.consumer = consumer;
    this.readiness.register({
      name: 'consumer',
      check: () =>
        consumer.isMember()
          ? Promise.resolve()
          : Promise.reject(new Error('not (yet) a member of its consumer group')),
    });
    this.starting = this.startWhenDatabaseIsUp(consumer).catch((error: unknown) => {
      this.logger.error(`Event consumer failed to start: ${(error as Error).message}`);
    });
  }

  /** The inbox lives in the database: consuming before it is connected would only fail and retry. */
  private async startWhenDatabaseIsUp(consumer: EventConsumer): Promise<void> {
    await this.whenDatabaseReady();
    if (this.stopped) return;
    await consumer.start();
  }

  /**
   * Resolves once the database is ready — connected (the platform connects in the background) and every
   * migration applied, so no record meets a schema older than the code — or on stop.
   */
  async whenDatabaseReady(): Promise<void> {
    while (!this.stopped) {
      // Looked up each time: the database module registers its check in its own bootstrap hook.
      const database = this.readiness.all().find((check) => check.name === 'database');
      if (this.dataSource.isInitialized && database !== undefined) {
        const ready = await database.check().then(
          () => true,
          () => false,
        );
        if (ready) return;
      }
      await new Promise((resolve) => setTimeout(resolve, DATABASE_WAIT_MS));
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    // Not waiting for a start still retrying a broker connection: stop() ends it too.
    await this.consumer?.stop().catch((error: unknown) => {
      this.logger.error(`Event consumer did not stop cleanly: ${(error as Error).message}`);
    });
    await this.starting;
  }
}
