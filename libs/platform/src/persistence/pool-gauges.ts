import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';
import { MetricsService } from '../metrics/metrics.service';

/** What the gauges read of node-postgres's Pool (TypeORM's Postgres driver keeps it as `master`). */
interface PgPool {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
  readonly options: { readonly max?: number };
}

function poolOf(dataSource: DataSource): PgPool | undefined {
  if (!dataSource.isInitialized) return undefined;
  const pool = (dataSource.driver as { master?: unknown }).master;
  return typeof pool === 'object' && pool !== null && 'totalCount' in pool ? (pool as PgPool) : undefined;
}

/**
 * The service's Postgres pool, read from the pool itself at scrape time: connections `active` (checked out
 * by a query or transaction), `idle`, and requests `waiting` for one. A pool at its maximum with requests
 * waiting is where latency comes from before the database itself looks busy. Before the data source has
 * connected (the database away at start-up) there is no pool: no series, and readiness says why.
 */
@Injectable()
export class PoolGauges implements OnModuleInit {
  constructor(
    @Inject(getDataSourceToken()) private readonly dataSource: DataSource,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    const pool = (): PgPool | undefined => poolOf(this.dataSource);
    this.metrics.gauge({
      name: 'stepwise_db_pool_connections',
      help: "Connections of the service's Postgres pool by state: active, idle, waiting (queued requests)",
      labelNames: ['state'] as const,
      collect() {
        this.reset();
        const current = pool();
        if (current === undefined) return;
        this.set({ state: 'active' }, current.totalCount - current.idleCount);
        this.set({ state: 'idle' }, current.idleCount);
        this.set({ state: 'waiting' }, current.waitingCount);
      },
    });
    const options = this.dataSource.options as { poolSize?: number };
    this.metrics.gauge({
      name: 'stepwise_db_pool_max',
      help: 'Configured size of the Postgres pool (DATABASE_POOL_SIZE)',
      collect() {
        const max = pool()?.options.max ?? options.poolSize;
        if (max !== undefined) this.set(max);
      },
    });
  }
}
