import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ReadinessRegistry, SERVICE_NAME, ServiceConfig } from '@stepwise/platform';
import { BROKER_ADMIN, type BrokerAdmin } from './broker/broker';
import { KafkajsBrokerAdmin } from './kafkajs/kafkajs-broker-admin';

@Injectable()
class BrokerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(BROKER_ADMIN) private readonly admin: BrokerAdmin,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onApplicationBootstrap(): void {
    this.readiness.register({ name: 'kafka', check: () => this.admin.ping() });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin.close();
  }
}

/** The service's connection to the message broker. */
@Module({})
export class MessagingModule {
  static forService(): DynamicModule {
    const admin = {
      provide: BROKER_ADMIN,
      inject: [ServiceConfig, SERVICE_NAME],
      useFactory: (config: ServiceConfig, service: string): BrokerAdmin =>
        new KafkajsBrokerAdmin({ clientId: `stepwise-${service}`, brokers: config.KAFKA_BROKERS }),
    };
    return { module: MessagingModule, providers: [admin, BrokerLifecycle], exports: [BROKER_ADMIN] };
  }
}
