import {
  type DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import Redis from 'ioredis';
import { SERVICE_NAME } from '../config/config.module';
import { ServiceConfig } from '../config/service-config';
import { ReadinessRegistry } from '../health/readiness.registry';

/** Injection token of the service's Redis client (ioredis). */
export const REDIS = Symbol('REDIS');

/**
 * Every key a service writes starts with `stepwise:<service>:`, so services sharing a Redis never collide
 * and an operator can tell whose keys are whose. Keys never contain names or contact details.
 */
export function redisKeyPrefix(service: string): string {
  return `stepwise:${service}:`;
}

@Injectable()
class RedisLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  private lastError = '';

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly readiness: ReadinessRegistry,
  ) {
    // ioredis reconnects by itself; without a listener every failed attempt would be an unhandled event.
    this.redis.on('error', (error: Error) => {
      if (error.message !== this.lastError) this.logger.warn(`Redis unavailable: ${error.message}`);
      this.lastError = error.message;
    });
    this.redis.on('ready', () => {
      this.lastError = '';
    });
  }

  onApplicationBootstrap(): void {
    this.readiness.register({
      name: 'redis',
      check: async () => {
        if ((await this.redis.ping()) !== 'PONG') throw new Error('unexpected PING answer');
      },
    });
    this.redis.connect().catch(() => undefined); // failures surface through 'error' and readiness
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Global()
@Module({})
export class RedisModule {
  static forService(): DynamicModule {
    const client = {
      provide: REDIS,
      inject: [ServiceConfig, SERVICE_NAME],
      useFactory: (config: ServiceConfig, service: string): Redis =>
        new Redis(config.REDIS_URL, {
          lazyConnect: true,
          connectionName: service,
          keyPrefix: redisKeyPrefix(service),
          // Fail fast while disconnected instead of queueing: callers and readiness see the outage.
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          connectTimeout: 2_000,
          retryStrategy: (attempt: number) => Math.min(attempt * 200, 5_000),
        }),
    };
    return { module: RedisModule, providers: [client, RedisLifecycle], exports: [REDIS] };
  }
}
