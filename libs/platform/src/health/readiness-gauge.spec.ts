import { MetricsService } from '../metrics/metrics.service';
import { ReadinessGauge } from './readiness-gauge';
import { ReadinessRegistry } from './readiness.registry';

describe('stepwise_readiness', () => {
  let registry: ReadinessRegistry;
  let metrics: MetricsService;
  let databaseUp: boolean;

  /** The gauge's samples as a scrape reads them: check → value. */
  async function scrape(): Promise<Record<string, number>> {
    const metric = await metrics.registry.getSingleMetric('stepwise_readiness')?.get();
    return Object.fromEntries((metric?.values ?? []).map((v) => [String(v.labels['check']), v.value]));
  }

  beforeEach(() => {
    databaseUp = true;
    registry = new ReadinessRegistry();
    registry.register({
      name: 'database',
      check: () => (databaseUp ? Promise.resolve() : Promise.reject(new Error('connection refused'))),
    });
    registry.register({ name: 'kafka', check: () => Promise.resolve() });
    metrics = new MetricsService('probe');
    new ReadinessGauge(registry, metrics).onModuleInit();
  });

  it('reads 1 per passing check, lifecycle included, at scrape time', async () => {
    expect(await scrape()).toEqual({ database: 1, kafka: 1, lifecycle: 1 });
  });

  it('follows a check that fails and recovers, as /health/ready does', async () => {
    databaseUp = false;
    expect(await scrape()).toEqual({ database: 0, kafka: 1, lifecycle: 1 });
    expect(await registry.evaluate()).toContainEqual({
      name: 'database',
      up: false,
      message: 'connection refused',
    });
    databaseUp = true;
    expect(await scrape()).toEqual({ database: 1, kafka: 1, lifecycle: 1 });
  });

  it('reads lifecycle 0 once the service is shutting down', async () => {
    registry.markShuttingDown();
    expect(await scrape()).toEqual({ database: 1, kafka: 1, lifecycle: 0 });
  });

  it('carries the service label and appears in the exposition', async () => {
    const text = await metrics.registry.metrics();
    expect(text).toContain('stepwise_readiness{check="database",service="probe"} 1');
  });
});
