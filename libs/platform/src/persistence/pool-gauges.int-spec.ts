import { DataSource, type QueryRunner } from 'typeorm';
import { MetricsService } from '../metrics/metrics.service';
import { dataSourceOptions } from './data-source-options';
import { PoolGauges } from './pool-gauges';

/*
 * Against the real Postgres the integration setup provides (its address in the environment). The library's
 * test helpers (@stepwise/testing) are built on this library, so this spec opens its pool directly; it only
 * holds connections and runs `SELECT 1`, so it needs no database of its own.
 */
const databaseUrl = (): string => {
  const url = process.env['POSTGRES_ADMIN_URL'];
  if (url === undefined) throw new Error('POSTGRES_ADMIN_URL is not set: run through jest.int.config.cjs');
  return url;
};

const options = (poolSize: number, applicationName: string) =>
  dataSourceOptions(databaseUrl(), { schema: 'public', migrations: [], applicationName, poolSize });

/** Lets the driver's promise chain reach the pool: a few turns of the event loop at most. */
async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let turn = 0; turn < 1_000; turn++) {
    if (await condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('the condition never held');
}

describe('database pool gauges (real Postgres)', () => {
  let dataSource: DataSource;
  let metrics: MetricsService;

  beforeAll(async () => {
    dataSource = await new DataSource(options(3, 'pool-gauges')).initialize();
    metrics = new MetricsService('intake');
    new PoolGauges(dataSource, metrics).onModuleInit();
  });
  afterAll(async () => {
    await dataSource.destroy();
  });

  async function pool(): Promise<{ max: number | undefined; byState: Record<string, number> }> {
    const connections = await metrics.registry.getSingleMetric('stepwise_db_pool_connections')?.get();
    const max = await metrics.registry.getSingleMetric('stepwise_db_pool_max')?.get();
    return {
      max: max?.values[0]?.value,
      byState: Object.fromEntries(
        (connections?.values ?? []).map((v) => [String(v.labels['state']), v.value]),
      ),
    };
  }

  it('reads connections checked out, idle and queued from the pool, and its configured size', async () => {
    const held: QueryRunner[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const runner = dataSource.createQueryRunner();
        await runner.connect();
        held.push(runner);
      }
      expect(await pool()).toEqual({ max: 3, byState: { active: 3, idle: 0, waiting: 0 } });

      // A fourth request for a connection queues behind the three held.
      const queued = dataSource.query<{ one: number }[]>('SELECT 1 AS one');
      await until(async () => (await pool()).byState['waiting'] === 1);
      expect((await pool()).byState).toEqual({ active: 3, idle: 0, waiting: 1 });

      await held.pop()?.release();
      await expect(queued).resolves.toEqual([{ one: 1 }]);
      expect(await pool()).toEqual({ max: 3, byState: { active: 2, idle: 1, waiting: 0 } });
    } finally {
      for (const runner of held) await runner.release();
    }
    expect((await pool()).byState).toEqual({ active: 0, idle: 3, waiting: 0 });
  });

  it('serves no connection series before the data source has a pool, and the configured size all along', async () => {
    const own = new MetricsService('intake');
    new PoolGauges(new DataSource(options(7, 'pool-gauges-unopened')), own).onModuleInit();
    expect((await own.registry.getSingleMetric('stepwise_db_pool_connections')?.get())?.values).toEqual([]);
    expect((await own.registry.getSingleMetric('stepwise_db_pool_max')?.get())?.values[0]?.value).toBe(7);
  });
});
