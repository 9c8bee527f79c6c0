import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import {
  EVENT_TRANSPORT,
  MetricsService,
  ReadinessRegistry,
  SERVICE_NAME,
  ServiceConfig,
} from '@stepwise/platform';
import { type DataSource } from 'typeorm';
import {
  BROKER_ADMIN,
  BROKER_PRODUCER,
  type BrokerAdmin,
  type BrokerProducer,
  brokerConnection,
} from './broker/broker';
import { KafkajsBrokerAdmin } from './kafkajs/kafkajs-broker-admin';
import { KafkajsProducer } from './kafkajs/kafkajs-producer';
import { Outbox } from './outbox/outbox';
import { OUTBOX_SCHEMA } from './outbox/outbox.tokens';
import { OutboxWakeUpService } from './outbox/outbox-wake-up.service';
import { UnitOfWork } from './outbox/unit-of-work';
import { OutboxRelayService } from './relay/outbox-relay.service';
import { EventTransport } from './consumer/event-transport';

@Injectable()
class BrokerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(BROKER_ADMIN) private readonly admin: BrokerAdmin,
    @Inject(BROKER_PRODUCER) private readonly producer: BrokerProducer,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onApplicationBootstrap(): void {
    this.readiness.register({ name: 'kafka', check: () => this.admin.ping() });
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.admin.close(), this.producer.close()]);
  }
}

export interface MessagingOptions {
  /** The service's schema, which holds its outbox table. */
  readonly schema: string;
}

/**
 * The service's messaging: the broker connection (behind the project's interfaces), the outbox that use
 * cases write events to (`UnitOfWork`), the relay that publishes them, and the consumer: `EventTransport`, the
 * Nest transport strategy that the platform connects to the app (`EVENT_TRANSPORT`) and that runs the
 * `@OnEvent` methods of the app's `@EventsController()` classes. Without any, the service consumes nothing.
 */
@Module({})
export class MessagingModule {
  static forService(options: MessagingOptions): DynamicModule {
    const providers = [
      { provide: OUTBOX_SCHEMA, useValue: options.schema },
      {
        provide: BROKER_ADMIN,
        inject: [ServiceConfig, SERVICE_NAME],
        useFactory: (config: ServiceConfig, service: string): BrokerAdmin =>
          new KafkajsBrokerAdmin(brokerConnection(config, `stepwise-${service}`)),
      },
      {
        provide: BROKER_PRODUCER,
        inject: [ServiceConfig, SERVICE_NAME],
        useFactory: (config: ServiceConfig, service: string): BrokerProducer =>
          new KafkajsProducer(brokerConnection(config, `stepwise-${service}-relay`)),
      },
      { provide: Outbox, useFactory: () => new Outbox(options.schema) },
      OutboxWakeUpService,
      {
        provide: UnitOfWork,
        inject: [getDataSourceToken(), Outbox, OutboxWakeUpService, MetricsService],
        useFactory: (
          dataSource: DataSource,
          outbox: Outbox,
          wakeUp: OutboxWakeUpService,
          metrics: MetricsService,
        ): UnitOfWork => {
          const retries = metrics.counter({
            name: 'stepwise_transaction_retries_total',
            help: 'Use cases run again after Postgres aborted them as a deadlock victim (40P01) or for serialization (40001)',
            labelNames: ['code'],
          });
          return new UnitOfWork(dataSource, outbox, wakeUp, { onRetry: (code) => retries.inc({ code }) });
        },
      },
      BrokerLifecycle,
      OutboxRelayService,
      EventTransport,
      { provide: EVENT_TRANSPORT, useExisting: EventTransport },
    ];
    return {
      module: MessagingModule,
      // Global like the data source: any feature module of the app can run a UnitOfWork.
      global: true,
      providers,
      exports: [BROKER_ADMIN, BROKER_PRODUCER, Outbox, UnitOfWork, EventTransport, EVENT_TRANSPORT],
    };
  }
}
