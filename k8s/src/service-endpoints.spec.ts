import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICES } from '@stepwise/contracts';
import { podEnvironment } from './pod-environment';
import { CONSOLE } from './stack';
import { K8S_DIR, OVERLAYS, type Overlay, render } from './render';
import {
  type Labels,
  type Obj,
  nameOf,
  operatorNetworkPolicies,
  selects,
  serviceViews,
} from './rendered-objects';

/**
 * Every address a service's configuration points at, in each overlay, is something that overlay provides and
 * its NetworkPolicies let the service reach: a Service of the namespace (the overlay's own or one an operator
 * creates), a prerequisite in another namespace the policies admit (the identity provider of the base), or an
 * operator's setting (production's settings.env and secret store) reached through an address range.
 */

const NAMESPACE = 'stepwise';

/** Ports a URL without one connects to (nodemailer: 587 for smtp://, 465 for smtps://). */
const DEFAULT_PORTS: Record<string, number> = {
  'http:': 80,
  'https:': 443,
  'smtp:': 587,
  'smtps:': 465,
  'redis:': 6379,
  'rediss:': 6379,
  'postgres:': 5432,
  'postgresql:': 5432,
};

interface Endpoint {
  readonly variable: string;
  readonly host: string;
  readonly port: number;
}

/** The host:port pairs a configuration names: URLs, and host:port lists (KAFKA_BROKERS). */
function endpoints(env: Record<string, string>): Endpoint[] {
  return Object.entries(env).flatMap(([variable, value]): Endpoint[] => {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
      const url = new URL(value);
      const port = url.port === '' ? DEFAULT_PORTS[url.protocol] : Number(url.port);
      if (port === undefined) throw new Error(`${variable}: no default port known for ${url.protocol}`);
      return [{ variable, host: url.hostname, port }];
    }
    if (/^[A-Za-z0-9.-]+:\d+(,\s*[A-Za-z0-9.-]+:\d+)*$/.test(value))
      return value.split(',').map((pair) => {
        const [host = '', port = ''] = pair.trim().split(':');
        return { variable, host, port: Number(port) };
      });
    return [];
  });
}

/**
 * The values dev's `create-secrets.sh` writes into `<service>-secrets`: each `--from-literal=NAME="…"`, with
 * `${service}` substituted, `${VAR:-default}` as its default and anything generated (passwords) as a stand-in.
 */
function devSecretValues(service: string): Map<string, string> {
  const script = readFileSync(join(K8S_DIR, 'overlays', 'dev', 'create-secrets.sh'), 'utf8');
  return new Map(
    [...script.matchAll(/--from-literal=([A-Z_]+)="([^"]*)"/g)].map(([, name = '', value = '']) => [
      name,
      value
        .replace(/\$\{service\}/g, service)
        .replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')
        .replace(/\$\{[^}]*\}|\$\([^)]*\)/g, 'generated'),
    ]),
  );
}

/** Values of production's settings.env: what only the operator knows, reached through address ranges. */
function operatorSettings(): string[] {
  return readFileSync(join(K8S_DIR, 'overlays', 'production', 'settings.env'), 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => line.slice(line.indexOf('=') + 1));
}

/** A host inside the cluster: `name`, `name.namespace`, `name.namespace.svc[.cluster.local]`. */
function clusterService(host: string): { name: string; namespace: string } | undefined {
  const match = /^([a-z0-9-]+)(?:\.([a-z0-9-]+)(?:\.svc(?:\.cluster\.local)?)?)?$/.exec(host);
  if (match === null) return undefined;
  return { name: match[1] ?? '', namespace: match[2] ?? NAMESPACE };
}

type Peer = { kind: 'pod'; labels: Labels } | { kind: 'namespace' } | { kind: 'addresses' };

const portAllowed = (rule: Obj, port: number): boolean => {
  const ports = (rule['ports'] ?? []) as Obj[];
  return ports.length === 0 || ports.some((p) => p['port'] === port);
};

const peerAllowed = (peers: Obj[] | undefined, peer: Peer): boolean =>
  peers === undefined ||
  peers.length === 0 ||
  peers.some((p) =>
    peer.kind === 'pod'
      ? p['podSelector'] !== undefined &&
        p['namespaceSelector'] === undefined &&
        selects(p['podSelector'], peer.labels)
      : peer.kind === 'namespace'
        ? p['namespaceSelector'] !== undefined
        : p['ipBlock'] !== undefined,
  );

/** Whether the policies selecting `pod` (with the given direction) let the traffic through. */
function policiesAllow(
  policies: Obj[],
  pod: Labels,
  direction: 'Egress' | 'Ingress',
  peer: Peer,
  port: number,
): boolean {
  const applying = policies.filter(
    (p) => (p['spec'].policyTypes as string[]).includes(direction) && selects(p['spec'].podSelector, pod),
  );
  if (applying.length === 0) return true;
  const rules = applying.flatMap(
    (p) => (p['spec'][direction === 'Egress' ? 'egress' : 'ingress'] ?? []) as Obj[],
  );
  return rules.some(
    (rule) => portAllowed(rule, port) && peerAllowed(rule[direction === 'Egress' ? 'to' : 'from'], peer),
  );
}

/** The variables naming an address that were checked, and what is wrong with them, for `service`'s Deployment. */
function checkEndpoints(
  objects: Obj[],
  overlay: Overlay,
  service: string,
  /** Addresses the pod only hands to the browser (the console's issuer): the pod itself never connects. */
  browserOnly: readonly string[] = [],
): { checked: string[]; problems: string[] } {
  const workload = `Deployment/${service}`;
  const fileRoot = mkdtempSync(join(tmpdir(), 'stepwise-endpoints-'));
  try {
    const { env, problems } = podEnvironment(objects, workload, { fileRoot, optionalSecrets: true });
    const deployment = objects.find((o) => nameOf(o) === workload) as Obj;
    const container = deployment['spec'].template.spec.containers[0] as Obj;
    const pod = deployment['spec'].template.metadata.labels as Labels;
    // Secret values: dev's are what create-secrets.sh writes; production's come from the operator's store.
    const fromSecrets = ((container['env'] ?? []) as Obj[])
      .filter((e) => e['valueFrom']?.secretKeyRef !== undefined)
      .map((e) => String(e['name']));
    const devSecrets = devSecretValues(service);
    for (const name of fromSecrets) {
      const value = overlay === 'dev' ? devSecrets.get(name) : undefined;
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
    for (const name of browserOnly) delete env[name];
    const settings = operatorSettings();
    const services = serviceViews(objects);
    const policies = [
      ...objects.filter((o) => o['kind'] === 'NetworkPolicy'),
      ...operatorNetworkPolicies(objects),
    ];

    const found = endpoints(env);
    for (const { variable, host, port } of found) {
      const where = `${workload}: ${variable} → ${host}:${port}`;
      const inCluster = clusterService(host);
      if (inCluster !== undefined && inCluster.namespace === NAMESPACE) {
        const target = services.find((s) => s.name === inCluster.name);
        const podPort = target?.ports.get(port);
        if (target === undefined) problems.push(`${where}: no Service ${inCluster.name} in the overlay`);
        else if (podPort === undefined || podPort < 0)
          problems.push(`${where}: Service ${inCluster.name} has no port ${port}`);
        else {
          if (!policiesAllow(policies, pod, 'Egress', { kind: 'pod', labels: target.pods }, podPort))
            problems.push(`${where}: no NetworkPolicy allows the egress`);
          if (!policiesAllow(policies, target.pods, 'Ingress', { kind: 'pod', labels: pod }, podPort))
            problems.push(`${where}: ${inCluster.name}'s NetworkPolicies refuse the ingress`);
        }
      } else if (inCluster !== undefined) {
        // A prerequisite in another namespace (the base's identity provider): admitted by namespace.
        if (!policiesAllow(policies, pod, 'Egress', { kind: 'namespace' }, port))
          problems.push(`${where}: no NetworkPolicy allows egress to namespace ${inCluster.namespace}`);
      } else if (overlay === 'production' && settings.some((setting) => env[variable]?.includes(setting))) {
        if (!policiesAllow(policies, pod, 'Egress', { kind: 'addresses' }, port))
          problems.push(`${where}: no NetworkPolicy allows egress to an address range on this port`);
      } else {
        problems.push(`${where}: neither a Service of the overlay nor an operator setting`);
      }
    }
    return { checked: [...new Set(found.map((e) => e.variable))].sort(), problems };
  } finally {
    rmSync(fileRoot, { recursive: true, force: true });
  }
}

describe.each(OVERLAYS)('the addresses the services are configured with, overlay %s', (overlay) => {
  let objects: Obj[];
  beforeAll(() => {
    objects = render(`overlays/${overlay}`);
  });

  it.each([...SERVICES])(
    '%s reaches only what the overlay provides, through its NetworkPolicies',
    (service) => {
      expect(checkEndpoints(objects, overlay, service).problems).toEqual([]);
    },
  );

  it('the console reaches the four services, and they admit it, through the NetworkPolicies', () => {
    const { checked, problems } = checkEndpoints(objects, overlay, CONSOLE, ['OIDC_ISSUER']);
    expect(problems).toEqual([]);
    expect(checked).toEqual(SERVICES.map((service) => `${service.toUpperCase()}_URL`).sort());
  });

  it('reads the addresses it checks: peers, Kafka, the identity provider, and dev’s secrets', () => {
    // Guards the check itself: addresses it failed to read would pass vacuously. Production's secret values
    // (database, Redis, SMTP) are the operator's, in the secret store.
    expect(checkEndpoints(objects, overlay, 'notifications').checked).toEqual(
      [
        'AUTH_ISSUER',
        'AUTH_JWKS_URL',
        'AUTH_TOKEN_URL',
        'INTAKE_URL',
        'KAFKA_BROKERS',
        'SCHEDULING_URL',
        ...(overlay === 'dev' ? ['DATABASE_URL', 'REDIS_URL', 'SMTP_URL'] : ['SMS_API_URL']),
      ].sort(),
    );
  });
});
