/**
 * Reading a rendered overlay as the cluster would: what a label selector selects, the pod templates of the
 * workloads, and the pods and Services the operators (Strimzi, CloudNativePG) create from their resources.
 * Shared by the overlays' tests.
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered YAML is walked as untyped data */
export type Obj = Record<string, any>;
export type Labels = Record<string, string>;

export const nameOf = (object: Obj): string =>
  `${String(object['kind'])}/${String(object['metadata']?.name)}`;

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'Job']);

/** What a label selector (matchLabels + matchExpressions In/Exists) selects. */
export function selects(selector: Obj | undefined, labels: Labels): boolean {
  if (selector === undefined) return false;
  const matchLabels: Labels =
    selector['matchLabels'] ?? (selector['matchExpressions'] === undefined ? selector : {});
  const expressions: Obj[] = selector['matchExpressions'] ?? [];
  return (
    Object.entries(matchLabels).every(([key, value]) => labels[key] === value) &&
    expressions.every((e) =>
      e['operator'] === 'In'
        ? (e['values'] as string[]).includes(labels[e['key']] ?? '')
        : e['operator'] === 'Exists'
          ? labels[e['key']] !== undefined
          : false,
    )
  );
}

export interface PodTemplate {
  readonly owner: string;
  readonly labels: Labels;
  readonly spec: Obj;
}

export function podTemplates(objects: Obj[]): PodTemplate[] {
  return objects
    .filter((o) => WORKLOADS.has(o['kind']))
    .map((o) => ({
      owner: nameOf(o),
      labels: o['spec'].template.metadata.labels as Labels,
      spec: o['spec'].template.spec,
    }));
}

const brokerLabels = (cluster: string): Labels => ({
  'strimzi.io/cluster': cluster,
  'strimzi.io/broker-role': 'true',
  'strimzi.io/kind': 'Kafka',
});

/** Pods the operators create, with the labels they give them (Strimzi, CloudNativePG). */
export function operatorPods(objects: Obj[]): Labels[] {
  return objects.flatMap((o): Labels[] => {
    if (o['kind'] === 'KafkaNodePool') return [brokerLabels(o['metadata'].labels['strimzi.io/cluster'])];
    if (o['kind'] === 'Cluster' && o['apiVersion'].startsWith('postgresql.cnpg.io'))
      return [{ 'cnpg.io/cluster': o['metadata'].name }];
    return [];
  });
}

/** A Service as far as a client sees it: its name, the pods behind it and port → the pods' port. */
export interface ServiceView {
  readonly name: string;
  readonly pods: Labels;
  readonly ports: ReadonlyMap<number, number>;
}

/**
 * The Services the overlay defines, the pods' named target ports resolved, and those the operators create:
 * Strimzi's `<cluster>-kafka-bootstrap` (one port per listener) and CloudNativePG's `<cluster>-rw/-ro/-r`.
 */
export function serviceViews(objects: Obj[]): ServiceView[] {
  const templates = podTemplates(objects);
  const defined = objects
    .filter((o) => o['kind'] === 'Service')
    .map((s): ServiceView => {
      const selector = s['spec'].selector as Labels;
      const containers = templates
        .filter((t) => selects({ matchLabels: selector }, t.labels))
        .flatMap((t) => t.spec.containers as Obj[]);
      const containerPort = (target: unknown): number =>
        typeof target === 'number'
          ? target
          : ((containers.flatMap((c) => (c['ports'] ?? []) as Obj[]).find((p) => p['name'] === target)?.[
              'containerPort'
            ] as number | undefined) ?? -1);
      return {
        name: s['metadata'].name,
        pods: selector,
        ports: new Map(
          (s['spec'].ports as Obj[]).map((p) => [
            p['port'] as number,
            containerPort(p['targetPort'] ?? p['port']),
          ]),
        ),
      };
    });
  const operated = objects.flatMap((o): ServiceView[] => {
    if (o['kind'] === 'Kafka') {
      const ports = (o['spec'].kafka.listeners as Obj[]).map((l) => l['port'] as number);
      return [
        {
          name: `${String(o['metadata'].name)}-kafka-bootstrap`,
          pods: brokerLabels(o['metadata'].name),
          ports: new Map(ports.map((p) => [p, p])),
        },
      ];
    }
    if (o['kind'] === 'Cluster' && o['apiVersion'].startsWith('postgresql.cnpg.io'))
      return ['rw', 'ro', 'r'].map((suffix) => ({
        name: `${String(o['metadata'].name)}-${suffix}`,
        pods: { 'cnpg.io/cluster': o['metadata'].name },
        ports: new Map([[5432, 5432]]),
      }));
    return [];
  });
  return [...defined, ...operated];
}

/**
 * The NetworkPolicies the operators write themselves: Strimzi admits each listener's `networkPolicyPeers` to
 * the brokers on the listener's port.
 */
export function operatorNetworkPolicies(objects: Obj[]): Obj[] {
  return objects
    .filter((o) => o['kind'] === 'Kafka')
    .map((o) => ({
      kind: 'NetworkPolicy',
      metadata: { name: `${String(o['metadata'].name)}-network-policy-kafka` },
      spec: {
        podSelector: { matchLabels: brokerLabels(o['metadata'].name) },
        policyTypes: ['Ingress'],
        ingress: (o['spec'].kafka.listeners as Obj[]).map((l) => ({
          from: l['networkPolicyPeers'],
          ports: [{ protocol: 'TCP', port: l['port'] }],
        })),
      },
    }));
}
