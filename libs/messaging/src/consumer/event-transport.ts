import { Inject, Injectable, Logger, type LoggerService } from '@nestjs/common';
import { type CustomTransportStrategy, type MessageHandler, Server } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type CareEvent,
  type ConsumerGroupPurpose,
  type EventTypeName,
  type ServiceName,
  type TopicName,
  consumerGroupId,
  deadLetterTopic,
  eventDefinition,
  isEventTypeName,
} from '@stepwise/contracts';
import { MetricsService, ReadinessRegistry, SERVICE_NAME, ServiceConfig } from '@stepwise/platform';
import { isObservable, lastValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import { BROKER_PRODUCER, type BrokerProducer, brokerConnection } from '../broker/broker';
import { KafkajsSubscriber } from '../kafkajs/kafkajs-subscriber';
import { Outbox } from '../outbox/outbox';
import { OUTBOX_SCHEMA } from '../outbox/outbox.tokens';
import { OutboxWakeUpService } from '../outbox/outbox-wake-up.service';
import { type Transaction } from '../outbox/unit-of-work';
import { consumerMetrics } from './consumer-metrics';
import { type ConsumerHandler, EventConsumer, type EventHandlerMap } from './event-consumer';
import { InboxContext } from './inbox-context';

const DATABASE_WAIT_MS = 250;

/**
 * The service's event consumer (group `stepwise-<service>`) as a `@nestjs/microservices` custom transport
 * strategy. Nest registers the `@EventPattern` (`@OnEvent`) methods of the app's controllers in
 * `messageHandlers`; this adapts them onto the project's `EventConsumer`, which keeps every guarantee
 * (inbox row in the handler's transaction, offsets committed after it, runs, dead letters, outage waits):
 *  - pattern = event type of the contract; the topics read are those the handled types are published on;
 *  - `@Payload()` = the decoded payload, `@Ctx()` = an `InboxContext` (the inbox transaction and envelope);
 *  - `listen` starts consuming once the database is ready — connected, migrations applied (the inbox and the
 *    handlers' tables need it) — and reports readiness as "consumer" (a member of its group);
 *  - `close` (Nest closes microservices after `beforeApplicationShutdown`, before `onApplicationShutdown`)
 *    stops gracefully — stop fetching, finish and commit in-flight records, leave the group — before the
 *    producer and the database close.
 */
@Injectable()
export class EventTransport extends Server implements CustomTransportStrategy {
  protected override readonly logger: LoggerService = new Logger('EventConsumer');
  private consumer: EventConsumer | undefined;
  private starting: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly config: ServiceConfig,
    private readonly metrics: MetricsService,
    private readonly readiness: ReadinessRegistry,
    private readonly outbox: Outbox,
    private readonly wakeUp: OutboxWakeUpService,
    @Inject(SERVICE_NAME) readonly service: ServiceName,
    @Inject(OUTBOX_SCHEMA) private readonly schema: string,
    @Inject(BROKER_PRODUCER) private readonly producer: BrokerProducer,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    super();
  }

  /**
   * The handlers Nest registered, by event type, each calling its controller method through Nest (guards,
   * interceptors, pipes, filters) with the payload and an `InboxContext`.
   */
  handlers(): EventHandlerMap {
    const handlers: Partial<Record<EventTypeName, ConsumerHandler<EventTypeName>>> = {};
    for (const [pattern, handler] of this.messageHandlers) {
      // Events only: nothing answers a request on the broker, and a pattern must name a contract event.
      if (handler.isEventHandler !== true || !isEventTypeName(pattern)) {
        throw new Error(`Handler for "${pattern}" is not an @EventPattern of an event type of the contract`);
      }
      handlers[pattern] = (event, tx) => this.invoke(handler, event, tx);
    }
    return handlers as EventHandlerMap;
  }

  /** The topics the handled event types are published on (the contract's event → topic mapping). */
  topics(): readonly TopicName[] {
    const types = Object.keys(this.handlers()).filter(isEventTypeName);
    return [...new Set(types.map((type) => eventDefinition(type).topic))].sort();
  }

  private async invoke(handler: MessageHandler, event: CareEvent, tx: Transaction): Promise<void> {
    const result: unknown = await handler(event.data, new InboxContext(event, tx));
    // Nest's event handlers may return an observable, and an exception filter always does.
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
  }

  /** A consumer over the app's handlers: the one this service runs, or one for a command (dead-letter replay). */
  build(): EventConsumer {
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
        ...brokerConnection(this.config, `stepwise-${this.service}-consumer`),
        groupId: this.groupId(),
        topics: this.topics().map((topic) => `${prefix}${topic}`),
        concurrency: this.config.CONSUMER_CONCURRENCY,
        sessionTimeoutMs: this.config.CONSUMER_SESSION_TIMEOUT_MS,
      }),
      this.dataSource,
      this.outbox,
      this.producer,
      this.handlers(),
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
   * The service's consumer group (or a command's: `purpose`) from libs/contracts, under the topic prefix:
   * environments sharing a cluster (tests, side-by-side systems) must not share consumer groups either —
   * members of one group with different subscriptions leave partitions unassigned.
   */
  groupId(purpose?: ConsumerGroupPurpose): string {
    return `${this.config.KAFKA_TOPIC_PREFIX}${consumerGroupId(this.service, purpose)}`;
  }

  /** Called by `startAllMicroservices`; the consumer starts in the background, as the app serves. */
  listen(callback: () => void): void {
    if (!this.config.CONSUMER_ENABLED) {
      this.logger.log('Event consumer disabled on this replica (CONSUMER_ENABLED=false)');
      callback();
      return;
    }
    if (this.messageHandlers.size === 0) {
      this.logger.log('No @EventPattern handlers: this service consumes no events');
      callback();
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
    callback();
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

  async close(): Promise<void> {
    this.stopped = true;
    // Not waiting for a start still retrying a broker connection: stop() ends it too.
    await this.consumer?.stop().catch((error: unknown) => {
      this.logger.error(`Event consumer did not stop cleanly: ${(error as Error).message}`);
    });
    await this.starting;
  }

  /** The consumer has no broker events of its own to subscribe to. */
  on(): never {
    throw new Error('EventTransport emits no events');
  }

  /** The underlying consumer, once `listen` built it. */
  unwrap<T>(): T {
    if (this.consumer === undefined) throw new Error('EventTransport is not listening');
    return this.consumer as T;
  }
}
