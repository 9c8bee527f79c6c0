import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ALL_TOPICS,
  CONSUMED_TOPICS,
  SERVICES,
  type ServiceName,
  consumerGroupIds,
  eventDefinition,
  isEventTypeName,
} from '@stepwise/contracts';
import { parse } from 'yaml';
import { generatedDrift, renderGenerated } from './generated';
import { generatedFiles, type Manifest, observabilitySources } from './manifests';
import { K8S_DIR } from './render';
import { maxConsumers } from './stack';

const WORKSPACE = join(K8S_DIR, '..');
const file = (path: string): Manifest[] => generatedFiles().get(path) ?? [];
type Acl = { resource: { type: string; name?: string }; operations: string[] };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts') && !entry.name.endsWith('spec.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** The topics of the event types a service's `@OnEvent` handlers name: what its consumer subscribes to. */
function handledTopics(service: ServiceName): string[] {
  const types = sourceFiles(join(WORKSPACE, 'apps', service, 'src')).flatMap((path) =>
    [...readFileSync(path, 'utf8').matchAll(/@OnEvent\('([A-Za-z]+)'\)/g)].map((match) => match[1] ?? ''),
  );
  return [...new Set(types.filter(isEventTypeName).map((type) => eventDefinition(type).topic))].sort();
}

describe('generated manifests', () => {
  it('are committed as the declarations give them (run `npx nx run k8s:generate` otherwise)', () => {
    expect(generatedDrift()).toEqual([]);
  });

  it('declare one KafkaTopic per topic of libs/contracts, with its partitions, retention and cleanup', () => {
    const topics = file('data/kafka-topics.yaml').map((object) => {
      const spec = object['spec'] as {
        topicName: string;
        partitions: number;
        config: Record<string, unknown>;
      };
      return {
        name: spec.topicName,
        partitions: spec.partitions,
        retentionMs: spec.config['retention.ms'],
        cleanupPolicy: spec.config['cleanup.policy'],
      };
    });
    expect(topics).toEqual(
      ALL_TOPICS.map(({ name, partitions, retentionMs, cleanupPolicy }) => ({
        name,
        partitions,
        retentionMs,
        cleanupPolicy,
      })),
    );
  });

  it("give each service's KafkaUser exactly its topics and groups: write what it owns, read what it consumes", () => {
    for (const service of SERVICES) {
      const user = file('data/kafka-users.yaml').find(
        (object) => (object['metadata'] as { name: string }).name === `stepwise-${service}`,
      );
      const acls = ((user?.['spec'] as { authorization: { acls: Acl[] } }).authorization.acls ?? []).map(
        (acl) => `${acl.resource.type}:${acl.resource.name ?? '*'}:${[...acl.operations].sort().join('+')}`,
      );
      const owned = ALL_TOPICS.filter((topic) => topic.owner === service).map((topic) => topic.name);
      const read = [...CONSUMED_TOPICS[service], `${service}.dlq.v1`];
      const expected = [...new Set([...owned, ...read])].map((topic) => {
        const operations = [
          'Describe',
          ...(owned.includes(topic) ? ['Write'] : []),
          ...(read.includes(topic) ? ['Read'] : []),
        ];
        return `topic:${topic}:${operations.sort().join('+')}`;
      });
      expect(acls.sort()).toEqual(
        [...expected, ...consumerGroupIds(service).map((group) => `group:${group}:Describe+Read`)].sort(),
      );
    }
  });

  it("declare in libs/contracts what each service's @OnEvent handlers consume", () => {
    for (const service of SERVICES) {
      expect({ service, topics: [...CONSUMED_TOPICS[service]].sort() }).toEqual({
        service,
        topics: handledTopics(service),
      });
    }
  });

  it('cap the lag autoscaler of each service at the partitions of its widest topic', () => {
    const scaled = file('overlays/production/autoscaling.yaml').filter(
      (object) => object['kind'] === 'ScaledObject',
    );
    expect(
      scaled.map((object) => [
        (object['metadata'] as { name: string }).name,
        (object['spec'] as { maxReplicaCount: number }).maxReplicaCount,
      ]),
    ).toEqual(SERVICES.map((service) => [service, maxConsumers(service)]));
    expect(maxConsumers('scheduling')).toBe(12);
  });

  describe('observability resources', () => {
    const OBSERVABILITY = 'components/observability/observability.yaml';
    const [dashboards, rule] = file(OBSERVABILITY);

    it('carry every committed dashboard, unchanged, in a ConfigMap for the Grafana sidecar', () => {
      const sources = observabilitySources();
      expect([...sources.dashboards.keys()]).toEqual(['stepwise-platform.json', 'stepwise-program.json']);
      expect(dashboards?.['metadata']).toMatchObject({ labels: { grafana_dashboard: '1' } });
      expect(dashboards?.['data']).toEqual(Object.fromEntries(sources.dashboards));
      // `kubectl apply` (client side) copies the object into an annotation, which may not exceed 256 KiB.
      expect(Buffer.byteLength(JSON.stringify(dashboards))).toBeLessThan(256 * 1024);
    });

    it('carry the committed alert and recording rules, unchanged, in a PrometheusRule', () => {
      expect(rule?.['kind']).toBe('PrometheusRule');
      expect(rule?.['spec']).toEqual(parse(observabilitySources().rules));
    });

    it('go out of date, failing the freshness test, when a rule file or a dashboard changes', () => {
      const sources = observabilitySources();
      const changedRules = sources.rules.replace('for: 2m', 'for: 3m');
      expect(changedRules).not.toBe(sources.rules);
      const changedDashboards = new Map(sources.dashboards);
      changedDashboards.set('stepwise-extra.json', '{}\n');
      for (const changed of [
        { ...sources, rules: changedRules },
        { ...sources, dashboards: changedDashboards },
      ])
        expect(generatedDrift(renderGenerated(generatedFiles(changed)))).toEqual([OBSERVABILITY]);
    });
  });
});
