import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from './config/config.module';
import { type ServiceConfig } from './config/service-config';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { type ServiceDatabaseOptions } from './persistence/data-source-options';
import { DatabaseModule } from './persistence/database.module';
import { RedisModule } from './redis/redis.module';

export interface PlatformOptions<C extends ServiceConfig> {
  readonly service: string;
  readonly config: C;
  readonly database: ServiceDatabaseOptions;
}

/** What every service is built on: typed config, its own schema, Redis, health, readiness, metrics, tracing. */
@Module({})
export class PlatformModule {
  static forService<C extends ServiceConfig>(options: PlatformOptions<C>): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        ConfigModule.forService(options.service, options.config),
        LoggingModule.forService(),
        HealthModule,
        MetricsModule,
        DatabaseModule.forService(options.database),
        RedisModule.forService(),
      ],
      exports: [ConfigModule, HealthModule, MetricsModule, DatabaseModule, RedisModule],
    };
  }
}
