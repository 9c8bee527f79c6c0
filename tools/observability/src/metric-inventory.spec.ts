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
/** A metric as its registration in code declares it. */
interface Registration {
  readonly file: string;
  readonly type: string;
  readonly labels: readonly string[];
}

const quoted = (list: string): string[] => [...list.matchAll(/'([a-z0-9_]+)'/g)].map((m) => m[1] as string);

/**
 * Metrics registered in code: `name: '…'` in a `counter`/`gauge`/`histogram` configuration, or the consumer's
 * `labelled('…')` (counters whose labels the helper declares), with their type and `labelNames`.
 */
const registered = new Map<string, Registration>();
for (const file of sources) {
  const text = readFileSync(file, 'utf8');
  const path = relative(WORKSPACE_ROOT, file);
  const helperLabels = /labelled = [\s\S]*?labelNames:\s*\[([^\]]*)\]/.exec(text)?.[1];
  for (const match of text.matchAll(
    /(?:(counter|gauge|histogram)(?:<[^>]*>)?\(\{\s*|labelled\(\s*)(?:name:\s*)?'((?:stepwise|http)_[a-z0-9_]+)'/g,
  )) {
    const name = match[2] as string;
    // The configuration's own labelNames: before the next registration starts.
    const rest = text.slice((match.index ?? 0) + match[0].length);
    const next = rest.search(/(?:counter|gauge|histogram)(?:<[^>]*>)?\(\{|labelled\(/);
    const own = next === -1 ? rest : rest.slice(0, next);
    const labels = match[1] === undefined ? helperLabels : /labelNames:\s*\[([^\]]*)\]/.exec(own)?.[1];
    registered.set(name, {
      file: path,
      type: match[1] ?? 'counter',
      labels: quoted(labels ?? '').sort(),
    });
  }
}

describe('metric catalogue against the services', () => {
  it('finds the registrations it reads (the scan works)', () => {
    expect(registered.get('stepwise_outbox_backlog')).toEqual({
      file: 'libs/messaging/src/relay/outbox-relay.service.ts',
      type: 'gauge',
      labels: [],
    });
    expect(registered.get('stepwise_events_consumed_total')).toEqual({
      file: 'libs/messaging/src/consumer/consumer-metrics.ts',
      type: 'counter',
      labels: ['consumer', 'type'],
    });
    expect(registered.get('stepwise_active_clients')).toEqual({
      file: 'apps/intake/src/episodes/program-gauges.ts',
      type: 'gauge',
      labels: ['level', 'population', 'site'],
    });
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
      .filter((metric) => metric.status === 'served' && registered.get(metric.name)?.file !== metric.source)
      .map((metric) => `${metric.name}: ${registered.get(metric.name)?.file} vs ${metric.source}`);
    expect(misplaced).toEqual([]);
  });

  it("registers each served metric with exactly the catalogue's type and labels", () => {
    const served = METRIC_CATALOGUE.filter((metric) => registered.has(metric.name));
    const differing = served
      .map((metric) => ({
        name: metric.name,
        catalogue: { type: metric.type, labels: Object.keys(metric.labels).sort() },
        code: { type: registered.get(metric.name)?.type, labels: registered.get(metric.name)?.labels },
      }))
      .filter((m) => JSON.stringify(m.catalogue) !== JSON.stringify(m.code));
    expect(differing).toEqual([]);
  });

  it("serves an app's own metric from that app alone, as the catalogue says", () => {
    const wrong = METRIC_CATALOGUE.filter((metric) => registered.has(metric.name))
      .map((metric) => ({
        name: metric.name,
        app: /^apps\/([a-z]+)\//.exec(registered.get(metric.name)?.file ?? '')?.[1],
        servedBy: metric.servedBy,
      }))
      .filter(({ app, servedBy }) =>
        app === undefined
          ? !(servedBy === 'every service' || Array.isArray(servedBy))
          : JSON.stringify(servedBy) !== JSON.stringify([app]),
      );
    expect(wrong).toEqual([]);
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
