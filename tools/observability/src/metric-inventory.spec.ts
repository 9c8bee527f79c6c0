import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { METRIC_CATALOGUE } from '@stepwise/contracts';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { WORKSPACE_ROOT } from './artifacts';

/** The services' production sources (tests and test support left out): where every served metric is registered. */
function productionSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return ['node_modules', 'testing', 'bench'].includes(entry.name) ? [] : productionSources(path);
    return entry.name.endsWith('.ts') && !/\.(spec|int-spec)\.ts$/.test(entry.name) ? [path] : [];
  });
}

// libs/contracts holds the catalogue itself: its names are declarations, not registrations.
const sources = ['apps', 'libs']
  .flatMap((top) => productionSources(join(WORKSPACE_ROOT, top)))
  .filter((file) => !relative(WORKSPACE_ROOT, file).startsWith('libs/contracts/'));
/** Metric names registered in code: `name: '…'` in a metric configuration, or the consumer's `labelled('…')`. */
const registered = new Map<string, string>();
for (const file of sources) {
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(/(?:name:\s*|labelled\(\s*)'((?:stepwise|http)_[a-z0-9_]+)'/g)) {
    registered.set(match[1] as string, relative(WORKSPACE_ROOT, file));
  }
}

describe('metric catalogue against the services', () => {
  it('finds the registrations it reads (the scan works)', () => {
    expect(registered.get('stepwise_outbox_backlog')).toBe(
      'libs/messaging/src/relay/outbox-relay.service.ts',
    );
    expect(registered.get('stepwise_events_consumed_total')).toBe(
      'libs/messaging/src/consumer/consumer-metrics.ts',
    );
    expect(registered.size).toBeGreaterThan(20);
  });

  it('catalogues every metric a service registers', () => {
    const catalogued = new Set(METRIC_CATALOGUE.map((metric) => metric.name));
    expect([...registered.keys()].filter((name) => !catalogued.has(name))).toEqual([]);
  });

  it('marks as served exactly the metrics registered in the file it names', () => {
    const own = METRIC_CATALOGUE.filter(
      (metric) => metric.name.startsWith('stepwise_') || metric.name.startsWith('http_'),
    );
    const wrong = own
      .filter((metric) => (metric.status === 'served') !== registered.has(metric.name))
      .map((metric) => `${metric.name} is ${metric.status}`);
    expect(wrong).toEqual([]);
    const misplaced = own
      .filter((metric) => metric.status === 'served' && registered.get(metric.name) !== metric.source)
      .map((metric) => `${metric.name}: ${registered.get(metric.name)} vs ${metric.source}`);
    expect(misplaced).toEqual([]);
  });

  it("lists prom-client's default metrics only under the names prom-client really serves", async () => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const defaults = new Set((await registry.getMetricsAsJSON()).map((metric) => metric.name));
    const fromDefaults = METRIC_CATALOGUE.filter((metric) => metric.source.startsWith('prom-client'));
    expect(fromDefaults.length).toBeGreaterThan(0);
    expect(fromDefaults.filter((metric) => !defaults.has(metric.name)).map((metric) => metric.name)).toEqual(
      [],
    );
  });
});
