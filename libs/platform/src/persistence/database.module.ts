import {
  type DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ServiceConfig } from '../config/service-config';
import { SERVICE_NAME } from '../config/config.module';
import { ReadinessRegistry } from '../health/readiness.registry';
import { type ServiceDatabaseOptions, dataSourceOptions } from './data-source-options';
import { PoolGauges } from './pool-gauges';

const MAX_RETRY_DELAY_MS = 5_000;
/** Postgres SQLSTATE 42P01: the migrations table does not exist yet. */
const UNDEFINED_TABLE = '42P01';

/**
 * Opens the data source in the background, retrying until the database answers, so a service whose
 * database is briefly away at start-up still starts, reports "not ready" and recovers by itself instead of
 * crash-looping. Readiness also requires every migration to be applied: a service must not take work
 * against a schema older than its code.
 */
@Injectable()
export class DatabaseLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private connecting: Promise<void> | undefined;
  private stopped = false;

  constructor(
    @Inject(getDataSourceToken()) private readonly dataSource: DataSource,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onApplicationBootstrap(): void {
    this.readiness.register({ name: 'database', check: () => this.check() });
    this.connecting = this.connectWithRetry();
  }

  private async connectWithRetry(): Promise<void> {
    let delay = 250;
    while (!this.stopped && !this.dataSource.isInitialized) {
      try {
        await this.dataSource.initialize();
        this.logger.log('Connected to the database');
      } catch (error) {
        this.logger.warn(`Database not reachable yet (${(error as Error).message}); retrying in ${delay} ms`);
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
      }
    }
  }

  /**
   * Read-only on purpose: TypeORM's own `showMigrations` creates the migrations table when it is missing,
   * which the application role is (rightly) not allowed to do.
   */
  private async check(): Promise<void> {
    if (!this.dataSource.isInitialized) throw new Error('not connected yet');
    const expected = this.dataSource.migrations.map((m) => m.name ?? m.constructor.name);
    const applied = await this.dataSource
      .query<{ name: string }[]>(`SELECT name FROM "${this.schema()}"."migrations"`)
      .catch((error: { code?: string }) => {
        if (error.code === UNDEFINED_TABLE) return [];
        throw error;
      });
    const appliedNames = new Set(applied.map((row) => row.name));
    const pending = expected.filter((name) => !appliedNames.has(name));
    if (pending.length > 0)
      throw new Error(`migrations pending (${pending.join(', ')}): run the migrate command`);
  }

  private schema(): string {
    const options = this.dataSource.options as { schema?: string };
    return options.schema ?? 'public';
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.connecting;
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

@Module({})
export class DatabaseModule {
  static forService(options: ServiceDatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [ServiceConfig, SERVICE_NAME],
          useFactory: (config: ServiceConfig, service: string) => ({
            ...dataSourceOptions(config.DATABASE_URL, {
              ...options,
              applicationName: service,
              poolSize: config.DATABASE_POOL_SIZE,
            }),
            manualInitialization: true,
          }),
        }),
      ],
      providers: [DatabaseLifecycle, PoolGauges],
      exports: [TypeOrmModule],
    };
  }
}
