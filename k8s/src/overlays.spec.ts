import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICES, consumerGroupId } from '@stepwise/contracts';
import { PRE_STOP_SECONDS, TERMINATION_GRACE_SECONDS, observabilitySources } from './manifests';
import { K8S_DIR, OVERLAYS, render } from './render';
import { type Labels, type Obj, nameOf, operatorPods, podTemplates, selects } from './rendered-objects';
import { schemaProblems } from './schema-validation';
import {
  CONSOLE,
  CONSOLE_PORT,
  KAFKA_CLUSTER,
  POSTGRES_CLUSTER,
  maxConsumers,
  secretsContract,
} from './stack';

describe.each(OVERLAYS)('overlay %s', (overlay) => {
  let objects: Obj[];
  // render() throws a message naming kubectl when it is missing: the suite fails instead of passing silently.
  beforeAll(() => {
    objects = render(`overlays/${overlay}`);
  });
  const ofKind = (kind: string): Obj[] => objects.filter((o) => o['kind'] === kind);

  it('renders every service and its data plane', () => {
    for (const service of SERVICES) {
      expect(objects.map(nameOf)).toEqual(
        expect.arrayContaining([
          `Deployment/${service}`,
          `Service/${service}`,
          `Job/${service}-migrate`,
          `ServiceAccount/${service}`,
        ]),
      );
    }
    expect(ofKind('KafkaTopic').length).toBeGreaterThan(0);
    expect(ofKind('Cluster')).toHaveLength(1);
  });

  it('validates every object against its schema, unknown fields included', () => {
    expect(schemaProblems(objects)).toEqual([]);
  });

  it('selects pod labels with every workload selector, Service, PDB and ServiceMonitor', () => {
    const templates = podTemplates(objects);
    const problems: string[] = [];
    for (const o of objects.filter((x) => ['Deployment', 'StatefulSet'].includes(x['kind']))) {
      if (!selects(o['spec'].selector, o['spec'].template.metadata.labels))
        problems.push(`${nameOf(o)} selector`);
    }
    for (const o of [...ofKind('Service'), ...ofKind('PodDisruptionBudget')]) {
      const selector = o['kind'] === 'Service' ? { matchLabels: o['spec'].selector } : o['spec'].selector;
      if (
        !templates.some((t) =>
          t.owner.startsWith('Deployment/') || t.owner.startsWith('StatefulSet/')
            ? selects(selector, t.labels)
            : false,
        )
      )
        problems.push(`${nameOf(o)} selects no pods`);
    }
    for (const monitor of ofKind('ServiceMonitor')) {
      const services = ofKind('Service').filter((s) =>
        selects(monitor['spec'].selector, s['metadata'].labels ?? {}),
      );
      if (services.length === 0) problems.push(`${nameOf(monitor)} selects no Service`);
      for (const endpoint of monitor['spec'].endpoints as Obj[])
        if (!services.every((s) => (s['spec'].ports as Obj[]).some((p) => p['name'] === endpoint['port'])))
          problems.push(`${nameOf(monitor)} port ${String(endpoint['port'])} missing on its Service`);
    }
    expect(problems).toEqual([]);
  });

  it('points every ScaledObject at a Deployment, its TriggerAuthentication and its consumer group', () => {
    const scaled = ofKind('ScaledObject');
    if (overlay === 'production')
      expect(scaled.map((o) => o['metadata'].name).sort()).toEqual([...SERVICES].sort());
    for (const o of scaled) {
      const service = o['metadata'].name as (typeof SERVICES)[number];
      expect(objects.map(nameOf)).toContain(`Deployment/${String(o['spec'].scaleTargetRef.name)}`);
      expect(o['spec'].maxReplicaCount).toBe(maxConsumers(service));
      expect(
        ofKind('HorizontalPodAutoscaler').filter((h) => h['spec'].scaleTargetRef.name === service),
      ).toEqual([]);
      for (const trigger of (o['spec'].triggers as Obj[]).filter((t) => t['type'] === 'kafka')) {
        expect(trigger['metadata'].consumerGroup).toBe(consumerGroupId(service));
        expect(objects.map(nameOf)).toContain(
          `TriggerAuthentication/${String(trigger['authenticationRef'].name)}`,
        );
      }
    }
  });

  it('probes, Services and network policies use the ports the containers declare', () => {
    const problems: string[] = [];
    for (const t of podTemplates(objects)) {
      for (const c of t.spec.containers as Obj[]) {
        const ports = (c['ports'] ?? []) as Obj[];
        const known = (port: unknown): boolean =>
          ports.some((p) => p['name'] === port || p['containerPort'] === port);
        for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
          const port = c[probe]?.httpGet?.port ?? c[probe]?.tcpSocket?.port;
          if (port !== undefined && !known(port)) problems.push(`${t.owner} ${probe} port ${String(port)}`);
        }
      }
    }
    for (const s of ofKind('Service')) {
      const pods = podTemplates(objects).filter((t) =>
        selects({ matchLabels: s['spec'].selector }, t.labels),
      );
      for (const port of s['spec'].ports as Obj[])
        for (const pod of pods)
          if (
            !(pod.spec.containers as Obj[]).some((c) =>
              ((c['ports'] ?? []) as Obj[]).some(
                (p) => p['name'] === port['targetPort'] || p['containerPort'] === port['targetPort'],
              ),
            )
          )
            problems.push(`${nameOf(s)} targetPort ${String(port['targetPort'])} not on ${pod.owner}`);
    }
    for (const policy of ofKind('NetworkPolicy')) {
      const pods = podTemplates(objects).filter((t) => selects(policy['spec'].podSelector, t.labels));
      for (const rule of (policy['spec'].ingress ?? []) as Obj[])
        for (const port of (rule['ports'] ?? []) as Obj[])
          for (const pod of pods)
            if (
              !(pod.spec.containers as Obj[]).some((c) =>
                ((c['ports'] ?? []) as Obj[]).some((p) => p['containerPort'] === port['port']),
              )
            )
              problems.push(`${nameOf(policy)} ingress port ${String(port['port'])} not on ${pod.owner}`);
    }
    expect(problems).toEqual([]);
  });

  it('selects real pods with every network policy and its pod peers', () => {
    const pods = [...podTemplates(objects).map((t) => t.labels), ...operatorPods(objects)];
    const problems: string[] = [];
    for (const policy of ofKind('NetworkPolicy')) {
      const selector = policy['spec'].podSelector as Obj;
      const everyPod = Object.keys(selector).length === 0;
      if (!everyPod && !pods.some((labels) => selects(selector, labels)))
        problems.push(`${nameOf(policy)} selects no pod`);
      const peers = [
        ...((policy['spec'].ingress ?? []) as Obj[]).flatMap((r) => (r['from'] ?? []) as Obj[]),
        ...((policy['spec'].egress ?? []) as Obj[]).flatMap((r) => (r['to'] ?? []) as Obj[]),
      ];
      for (const peer of peers.filter(
        (p) => p['podSelector'] !== undefined && p['namespaceSelector'] === undefined,
      ))
        if (!pods.some((labels) => selects(peer['podSelector'], labels)))
          problems.push(`${nameOf(policy)} peer ${JSON.stringify(peer['podSelector'])} selects no pod`);
    }
    expect(problems).toEqual([]);
    expect(ofKind('NetworkPolicy').find((p) => p['metadata'].name === 'default-deny')?.['spec']).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    });
  });

  it('runs every container non-root, read-only, without capabilities, seccomp RuntimeDefault, image pinned by tag', () => {
    const problems: string[] = [];
    for (const t of podTemplates(objects)) {
      if (t.spec.automountServiceAccountToken !== false)
        problems.push(`${t.owner} mounts a service account token`);
      if (t.spec.securityContext?.seccompProfile?.type !== 'RuntimeDefault')
        problems.push(`${t.owner} seccomp`);
      for (const c of t.spec.containers as Obj[]) {
        const sc = c['securityContext'] ?? {};
        if (sc.allowPrivilegeEscalation !== false || sc.readOnlyRootFilesystem !== true)
          problems.push(`${t.owner} ${String(c['name'])} privileges`);
        if (JSON.stringify(sc.capabilities?.drop) !== '["ALL"]')
          problems.push(`${t.owner} ${String(c['name'])} capabilities`);
        if (t.spec.securityContext?.runAsNonRoot !== true && sc.runAsNonRoot !== true)
          problems.push(`${t.owner} may run as root`);
        if (
          !/^[^:@]+(:[\w][\w.-]{0,127})(@sha256:[a-f0-9]{64})?$/.test(String(c['image'])) ||
          String(c['image']).endsWith(':latest')
        )
          problems.push(`${t.owner} image ${String(c['image'])} is not pinned by tag`);
        if (c['resources']?.requests === undefined || c['resources']?.limits?.memory === undefined)
          problems.push(`${t.owner} resources`);
      }
    }
    for (const sa of ofKind('ServiceAccount'))
      if (sa['automountServiceAccountToken'] !== false) problems.push(`${nameOf(sa)} automounts its token`);
    expect(problems).toEqual([]);
  });

  it('gives each service probes, a startup probe and a grace period longer than SHUTDOWN_TIMEOUT_MS', () => {
    const config = ofKind('ConfigMap').find((c) => c['metadata'].name === 'stepwise-config');
    const shutdownSeconds = Number(config?.['data'].SHUTDOWN_TIMEOUT_MS) / 1000;
    for (const service of SERVICES) {
      const spec = ofKind('Deployment').find((d) => d['metadata'].name === service)?.['spec'].template
        .spec as Obj;
      const c = (spec['containers'] as Obj[])[0] as Obj;
      expect([
        c['startupProbe'].httpGet.path,
        c['livenessProbe'].httpGet.path,
        c['readinessProbe'].httpGet.path,
      ]).toEqual(['/health/live', '/health/live', '/health/ready']);
      expect(spec['terminationGracePeriodSeconds']).toBe(TERMINATION_GRACE_SECONDS);
      expect(TERMINATION_GRACE_SECONDS).toBeGreaterThan(shutdownSeconds + PRE_STOP_SECONDS);
    }
  });

  it('runs the console from the services’ image with /healthz probes, no Secret, and traffic only from the ingress to it and from it to the four services', () => {
    const deployment = ofKind('Deployment').find((d) => d['metadata'].name === CONSOLE) as Obj;
    const pod = deployment['spec'].template as Obj;
    const [c] = pod['spec'].containers as Obj[];
    const intake = ofKind('Deployment').find((d) => d['metadata'].name === 'intake') as Obj;
    expect(c?.['image']).toBe(intake['spec'].template.spec.containers[0].image);
    expect(c?.['env']).toEqual([{ name: 'SERVICE', value: CONSOLE }]);
    expect(
      ['startupProbe', 'livenessProbe', 'readinessProbe'].map((probe) => c?.[probe].httpGet.path),
    ).toEqual(['/healthz', '/healthz', '/healthz']);
    expect(c?.['ports']).toEqual([{ name: 'http', containerPort: CONSOLE_PORT, protocol: 'TCP' }]);
    expect(pod['spec'].volumes.filter((v: Obj) => v['secret'] !== undefined)).toEqual([]);

    const labels = pod['metadata'].labels as Labels;
    const applying = ofKind('NetworkPolicy').filter((p) => selects(p['spec'].podSelector, labels));
    expect(applying.map(nameOf).sort()).toEqual([
      'NetworkPolicy/allow-dns',
      'NetworkPolicy/console',
      'NetworkPolicy/default-deny',
    ]);
    const own = applying.find((p) => p['metadata'].name === CONSOLE) as Obj;
    expect(own['spec'].ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { 'stepwise.io/ingress': 'true' } } }],
        ports: [{ protocol: 'TCP', port: CONSOLE_PORT }],
      },
    ]);
    const reached = (own['spec'].egress as Obj[]).map((rule) =>
      SERVICES.find((service) =>
        podTemplates(objects).some(
          (t) => t.owner === `Deployment/${service}` && selects(rule['to'][0].podSelector, t.labels),
        ),
      ),
    );
    expect(reached).toEqual([...SERVICES]);

    const config = (name: string): Labels =>
      ofKind('ConfigMap').find((m) => m['metadata'].name === name)?.['data'] as Labels;
    // The browser signs in where the services' tokens come from.
    expect(config(`${CONSOLE}-config`).OIDC_ISSUER).toBe(config('stepwise-config').AUTH_ISSUER);
    expect(config(`${CONSOLE}-config`).CONSOLE_HTTPS).toBe(overlay === 'production' ? 'true' : 'false');
  });

  it('references Secrets only from the contract, and holds no secret value', () => {
    const contract = new Set(secretsContract().keys());
    const problems: string[] = [];
    for (const o of objects)
      if (o['kind'] === 'Secret') problems.push(`${nameOf(o)} is a Secret in the tree`);
    for (const t of podTemplates(objects)) {
      for (const c of t.spec.containers as Obj[])
        for (const env of (c['env'] ?? []) as Obj[]) {
          const ref = env['valueFrom']?.secretKeyRef?.name;
          if (ref !== undefined && !contract.has(ref)) problems.push(`${t.owner} secret ${String(ref)}`);
          if (env['value'] !== undefined && /PASSWORD|SECRET|TOKEN|KEK$|_URL$/.test(String(env['name'])))
            problems.push(`${t.owner} sets ${String(env['name'])} literally`);
        }
      for (const v of (t.spec.volumes ?? []) as Obj[])
        if (v['secret'] !== undefined && !contract.has(v['secret'].secretName))
          problems.push(`${t.owner} volume ${String(v['secret'].secretName)}`);
    }
    for (const role of ofKind('Cluster').flatMap((c) => (c['spec'].managed?.roles ?? []) as Obj[]))
      if (!contract.has(role['passwordSecret'].name)) problems.push(`role ${String(role['name'])} secret`);
    for (const o of ofKind('ConfigMap'))
      for (const [key, value] of Object.entries((o['data'] ?? {}) as Labels))
        if (/PASSWORD$|SECRET$|TOKEN$|KEK$/.test(key) || /:\/\/[^/\s:@]+:[^/\s@]+@/.test(value))
          problems.push(`${nameOf(o)} ${key} holds a secret`);
    expect(problems).toEqual([]);
  });

  it('scrapes every service as the job and with the labels the dashboards and alert rules query', () => {
    const { dashboards, rules } = observabilitySources();
    const queried = new Set(
      [rules, ...dashboards.values()].flatMap((text) =>
        [...text.matchAll(/job=\\?"([^"\\]+)\\?"/g)].map((m) => m[1]),
      ),
    );
    expect([...queried]).toEqual(['stepwise']);
    for (const monitor of ofKind('ServiceMonitor')) {
      const services = ofKind('Service').filter((s) =>
        selects(monitor['spec'].selector, s['metadata'].labels ?? {}),
      );
      expect(services.map((s) => s['metadata'].labels[monitor['spec'].jobLabel])).toEqual(['stepwise']);
      expect((monitor['spec'].endpoints as Obj[]).map((e) => e['honorLabels'])).toEqual([true]);
    }
    const observability = objects
      .filter((o) => o['kind'] === 'PrometheusRule' || o['metadata'].labels?.grafana_dashboard === '1')
      .map(nameOf);
    // Production runs the dashboards and alerts; dev may add the component (docs/deployment.md).
    expect(observability).toEqual(
      overlay === 'production' ? ['ConfigMap/stepwise-dashboards', 'PrometheusRule/stepwise'] : [],
    );
  });

  it('wires Kafka, Postgres and the migration the way the data plane names them', () => {
    expect(ofKind('Kafka').map((k) => k['metadata'].name)).toEqual([KAFKA_CLUSTER]);
    expect(ofKind('Cluster').map((k) => k['metadata'].name)).toEqual([POSTGRES_CLUSTER]);
    for (const service of SERVICES) {
      const job = ofKind('Job').find((j) => j['metadata'].name === `${service}-migrate`) as Obj;
      const container = job['spec'].template.spec.containers[0] as Obj;
      expect(container['args']).toEqual(['migrate']);
      expect((container['env'] as Obj[]).map((e) => e['name'])).toContain('DATABASE_MIGRATION_URL');
      const deployment = ofKind('Deployment').find((d) => d['metadata'].name === service) as Obj;
      const env = (deployment['spec'].template.spec.containers[0].env as Obj[]).map((e) => e['name']);
      // The schema owner's credentials stay with the Job.
      expect(env).not.toContain('DATABASE_MIGRATION_URL');
      expect(deployment['spec'].strategy.rollingUpdate.maxUnavailable).toBe(0);
    }
  });
});

describe('the k8s tree', () => {
  it('commits no Secret and no credentials in any manifest', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory()
          ? name === 'schemas' || name === 'src'
            ? []
            : files(path)
          : [path];
      });
    const offending = files(K8S_DIR)
      .filter((path) => /\.ya?ml$/.test(path))
      .filter((path) => {
        const text = readFileSync(path, 'utf8');
        return (
          /^kind:\s*Secret\s*$/m.test(text) ||
          /:\/\/[^/\s:@$]+:[^/\s@$]+@/.test(text) ||
          /[A-Za-z0-9+/]{43}=/.test(text)
        );
      });
    expect(offending).toEqual([]);
  });
});
