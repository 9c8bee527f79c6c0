import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  ALL_TOPICS,
  SERVICES,
  type ServiceName,
  type TopicSpec,
  consumerGroupId,
  consumerGroupIds,
} from '@stepwise/contracts';
import { parse } from 'yaml';
import { databaseLockdownStatements, roleNames, serviceSchemaStatements } from '@stepwise/infra';
import {
  CONSOLE,
  CONSOLE_CLIENT_ID,
  CONSOLE_PORT,
  DATABASE,
  IDENTITY_REALM,
  IMAGE,
  IMAGE_TAG,
  KAFKA_BOOTSTRAP,
  KAFKA_CA_MOUNT,
  KAFKA_CA_SECRET,
  KAFKA_CLUSTER,
  KAFKA_TLS_PORT,
  KAFKA_USER_MOUNT,
  MIGRATION_SECRET,
  POSTGRES_CLUSTER,
  POSTGRES_PORT,
  REDIS_PORT,
  SHARED_SECRETS,
  SMS_TOKEN_KEY,
  SMS_TOKEN_SECRET,
  type SecretVariable,
  type ServiceDeployment,
  consumedTopics,
  deploymentOf,
  maxConsumers,
  producedTopics,
  serviceSecrets,
} from './stack';

/** The Service label whose value names the scrape job: the base labels every object `part-of: stepwise`. */
export const SCRAPE_JOB_LABEL = 'app.kubernetes.io/part-of';

/** A Kubernetes object as plain data (validated by the tests against the real schemas). */
export type Manifest = Record<string, unknown>;

/** What the generator writes: path under k8s/ → the objects of that file, in order. */
export type GeneratedFiles = Map<string, Manifest[]>;

/** Standard labels; `name` + `component` select a service's pods everywhere (Service, PDB, policies…). */
export function podLabels(service: ServiceName, component: 'api' | 'migration'): Record<string, string> {
  return { 'app.kubernetes.io/name': service, 'app.kubernetes.io/component': component };
}

/**
 * The console's pods. Component `web`, not `api`: the policies and patches of the services' pods (Kafka,
 * Postgres, Redis, the identity provider) must not select them.
 */
export const CONSOLE_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/name': CONSOLE,
  'app.kubernetes.io/component': 'web',
};

/** `kafka.strimzi.io/v1`: Strimzi 1.x serves only this version (v1beta2 was removed). */
const STRIMZI = 'kafka.strimzi.io/v1';

/** Seconds between SIGTERM and SIGKILL: the endpoint-removal pause, SHUTDOWN_TIMEOUT_MS (20 s), and a margin. */
export const PRE_STOP_SECONDS = 5;
export const TERMINATION_GRACE_SECONDS = 35;

const restrictedContainer = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  // `node` in the official image; numeric so the kubelet can verify non-root without reading /etc/passwd.
  runAsUser: 1000,
  runAsGroup: 1000,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

function secretEnv(service: ServiceName, variable: SecretVariable): Manifest {
  return {
    name: variable.name,
    valueFrom: {
      secretKeyRef: {
        name: `${service}-secrets`,
        key: variable.name,
        ...(variable.optional === true ? { optional: true } : {}),
      },
    },
  };
}

/** The pod's Kafka credentials and CA as read-only files (KAFKA_SASL_PASSWORD_FILE, KAFKA_SSL_CA_FILE). */
function kafkaVolumes(service: ServiceName): Manifest[] {
  return [
    { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
    { name: 'kafka-ca', secret: { secretName: KAFKA_CA_SECRET, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
    {
      name: 'kafka-user',
      secret: { secretName: `stepwise-${service}`, items: [{ key: 'password', path: 'password' }] },
    },
  ];
}

const volumeMounts = [
  // Node and its libraries write temporary files; the root filesystem is read-only.
  { name: 'tmp', mountPath: '/tmp' },
  { name: 'kafka-ca', mountPath: KAFKA_CA_MOUNT, readOnly: true },
  { name: 'kafka-user', mountPath: KAFKA_USER_MOUNT, readOnly: true },
];

function envFrom(service: ServiceName): Manifest[] {
  return [{ configMapRef: { name: 'stepwise-config' } }, { configMapRef: { name: `${service}-config` } }];
}

function container(deployment: ServiceDeployment, extraSecrets: readonly SecretVariable[]): Manifest {
  const { service } = deployment;
  return {
    name: service,
    image: `${IMAGE}:${IMAGE_TAG}`,
    imagePullPolicy: 'IfNotPresent',
    envFrom: envFrom(service),
    env: [
      // The image's entrypoint runs dist/apps/$SERVICE/main.js.
      { name: 'SERVICE', value: service },
      ...[...SHARED_SECRETS, ...extraSecrets, ...deployment.secrets].map((v) => secretEnv(service, v)),
    ],
    securityContext: restrictedContainer,
    volumeMounts,
  };
}

function serviceConfigMap(deployment: ServiceDeployment): Manifest {
  const { service } = deployment;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${service}-config`, labels: podLabels(service, 'api') },
    data: {
      PORT: String(deployment.port),
      KAFKA_SASL_USERNAME: `stepwise-${service}`,
      KAFKA_SASL_PASSWORD_FILE: `${KAFKA_USER_MOUNT}/password`,
      ...deployment.settings,
    },
  };
}

function serviceAccount(service: ServiceName): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: service, labels: podLabels(service, 'api') },
    // The services never call the Kubernetes API.
    automountServiceAccountToken: false,
  };
}

function podSecurity(): Manifest {
  return {
    runAsNonRoot: true,
    runAsUser: 1000,
    runAsGroup: 1000,
    fsGroup: 1000,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** An HTTP probe of the container's `http` port. */
const probe = (path: string, periodSeconds: number, failureThreshold: number): Manifest => ({
  httpGet: { path, port: 'http' },
  periodSeconds,
  timeoutSeconds: 3,
  failureThreshold,
});

/**
 * A Deployment of the base: one replica (overlays scale), a rolling update that keeps every old pod until a new
 * one is ready, and the hardened pod (own service account without token, no service links, non-root).
 */
function hardenedDeployment(
  name: string,
  labels: Readonly<Record<string, string>>,
  pod: { containers: Manifest[]; volumes: Manifest[] },
  spec: Manifest = {},
): Manifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      replicas: 1,
      revisionHistoryLimit: 5,
      selector: { matchLabels: labels },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      ...spec,
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: name,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
          securityContext: podSecurity(),
          ...pod,
        },
      },
    },
  };
}

/** Endpoints drop the pod asynchronously: keep serving a moment before SIGTERM starts draining. */
const drainPause: Manifest = { preStop: { exec: { command: ['sleep', String(PRE_STOP_SECONDS)] } } };

function deploymentManifest(deployment: ServiceDeployment): Manifest {
  const { service, port } = deployment;
  return hardenedDeployment(
    service,
    podLabels(service, 'api'),
    {
      containers: [
        {
          ...container(deployment, []),
          ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
          // Up to 2 minutes to start (connecting to Postgres, Kafka and Redis) before liveness applies.
          startupProbe: probe('/health/live', 2, 60),
          livenessProbe: probe('/health/live', 10, 3),
          readinessProbe: probe('/health/ready', 5, 2),
          lifecycle: drainPause,
          resources: {
            requests: { cpu: '250m', memory: '256Mi' },
            limits: { memory: '512Mi' },
          },
        },
      ],
      volumes: kafkaVolumes(service),
    },
    // A new version is ready only once its migrations are applied (/health/ready checks the schema), so with
    // no unavailable pod allowed the old version keeps serving until the migration Job has finished.
    { progressDeadlineSeconds: 900 },
  );
}

function serviceManifest(deployment: ServiceDeployment): Manifest {
  const labels = podLabels(deployment.service, 'api');
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: deployment.service, labels },
    spec: {
      selector: labels,
      ports: [{ name: 'http', port: deployment.port, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}

/**
 * `main.js migrate` as the schema owner. Its name carries no version: a release deletes the finished Job and
 * applies the new one (docs/deployment.md), or lets Argo CD do it as a PreSync hook.
 */
function migrationJob(deployment: ServiceDeployment): Manifest {
  const { service } = deployment;
  const labels = podLabels(service, 'migration');
  const base = container(deployment, [MIGRATION_SECRET]);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: `${service}-migrate`,
      labels,
      annotations: {
        'argocd.argoproj.io/hook': 'PreSync',
        'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
      },
    },
    spec: {
      backoffLimit: 3,
      activeDeadlineSeconds: 900,
      ttlSecondsAfterFinished: 86400,
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: service,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          restartPolicy: 'Never',
          securityContext: podSecurity(),
          containers: [
            {
              ...base,
              name: 'migrate',
              args: ['migrate'],
              resources: { requests: { cpu: '100m', memory: '192Mi' }, limits: { memory: '384Mi' } },
            },
          ],
          volumes: kafkaVolumes(service),
        },
      },
    },
  };
}

function podDisruptionBudget(service: ServiceName): Manifest {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: service, labels: podLabels(service, 'api') },
    // One pod at a time: a one-replica dev install can still drain a node; production runs two or more.
    spec: { maxUnavailable: 1, selector: { matchLabels: podLabels(service, 'api') } },
  };
}

/**
 * Scrapes a service the way `observability/prometheus/prometheus.yml` does locally, so the dashboards and alert
 * rules (`job="stepwise"`, the series' own `service` label) read the same series: the job is named by the
 * Services' `app.kubernetes.io/part-of` label (`stepwise`) instead of each Service's name, and `honorLabels`
 * keeps the `service` label every series carries (prom-client's default label) over the operator's target label.
 */
function serviceMonitor(deployment: ServiceDeployment): Manifest {
  const labels = podLabels(deployment.service, 'api');
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name: deployment.service, labels },
    spec: {
      jobLabel: SCRAPE_JOB_LABEL,
      selector: { matchLabels: labels },
      endpoints: [
        { port: 'http', path: '/metrics', interval: '30s', scrapeTimeout: '10s', honorLabels: true },
      ],
    },
  };
}

const egressTo = (podSelector: Manifest, port: number): Manifest => ({
  to: [{ podSelector }],
  ports: [{ protocol: 'TCP', port }],
});

/**
 * E-mail relays (SMTP submission), the SMS provider's and subscribers' webhooks (HTTPS): outside addresses
 * only, never the cluster's or other private networks.
 */
const outboundDelivery: Manifest = {
  to: [
    {
      ipBlock: {
        cidr: '0.0.0.0/0',
        except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'],
      },
    },
  ],
  ports: [25, 465, 587, 443].map((port) => ({ protocol: 'TCP', port })),
};

/** The peers of a service's pods: who may call it, and what it may reach (DNS and identity: shared.yaml). */
function networkPolicy(deployment: ServiceDeployment): Manifest {
  const { service, port } = deployment;
  const callers = SERVICES.filter((other) => deploymentOf(other).calls.includes(service));
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: service, labels: podLabels(service, 'api') },
    spec: {
      podSelector: { matchLabels: podLabels(service, 'api') },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        {
          // The ingress controller (public API) and Prometheus (/metrics), each in its own namespace.
          from: [
            { namespaceSelector: { matchLabels: { 'stepwise.io/ingress': 'true' } } },
            { namespaceSelector: { matchLabels: { 'stepwise.io/monitoring': 'true' } } },
          ],
          ports: [{ protocol: 'TCP', port }],
        },
        ...callers.map((caller) => ({
          from: [{ podSelector: { matchLabels: podLabels(caller, 'api') } }],
          ports: [{ protocol: 'TCP', port }],
        })),
        // The staff console forwards the browser's /api/<service> calls.
        { from: [{ podSelector: { matchLabels: CONSOLE_LABELS } }], ports: [{ protocol: 'TCP', port }] },
      ],
      egress: [
        egressTo(
          { matchLabels: { 'strimzi.io/cluster': KAFKA_CLUSTER, 'strimzi.io/broker-role': 'true' } },
          KAFKA_TLS_PORT,
        ),
        egressTo({ matchLabels: { 'cnpg.io/cluster': POSTGRES_CLUSTER } }, POSTGRES_PORT),
        egressTo({ matchLabels: { 'app.kubernetes.io/name': 'redis' } }, REDIS_PORT),
        ...deployment.calls.map((callee) =>
          egressTo({ matchLabels: podLabels(callee, 'api') }, deploymentOf(callee).port),
        ),
        ...(deployment.outboundDelivery ? [outboundDelivery] : []),
      ],
    },
  };
}

/** The migration Job reaches its database and nothing else. */
function migrationNetworkPolicy(service: ServiceName): Manifest {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `${service}-migrate`, labels: podLabels(service, 'migration') },
    spec: {
      podSelector: { matchLabels: podLabels(service, 'migration') },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [],
      egress: [egressTo({ matchLabels: { 'cnpg.io/cluster': POSTGRES_CLUSTER } }, POSTGRES_PORT)],
    },
  };
}

function serviceBundle(deployment: ServiceDeployment): Manifest[] {
  return [
    serviceAccount(deployment.service),
    serviceConfigMap(deployment),
    deploymentManifest(deployment),
    serviceManifest(deployment),
    migrationJob(deployment),
    podDisruptionBudget(deployment.service),
    networkPolicy(deployment),
    migrationNetworkPolicy(deployment.service),
    serviceMonitor(deployment),
  ];
}

/**
 * The staff console's server: the same image and pod hardening as the services, no Secret, no data plane. It
 * listens on all addresses of its pod (the ingress controller reaches it through its Service) and forwards to
 * the services by their Service names.
 */
function consoleBundle(): Manifest[] {
  const labels = CONSOLE_LABELS;
  const config: Manifest = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${CONSOLE}-config`, labels },
    data: {
      NODE_ENV: 'production',
      CONSOLE_HOST: '0.0.0.0',
      CONSOLE_PORT: String(CONSOLE_PORT),
      // Given to the browser (/config.json, the CSP); production sets its issuer (settings.env) and HTTPS.
      OIDC_ISSUER: IDENTITY_REALM,
      OIDC_CLIENT_ID: CONSOLE_CLIENT_ID,
      CONSOLE_HTTPS: 'false',
      ...Object.fromEntries(
        SERVICES.map((service) => [
          `${service.toUpperCase()}_URL`,
          `http://${service}:${deploymentOf(service).port}`,
        ]),
      ),
    },
  };
  const deployment = hardenedDeployment(CONSOLE, labels, {
    containers: [
      {
        name: CONSOLE,
        image: `${IMAGE}:${IMAGE_TAG}`,
        imagePullPolicy: 'IfNotPresent',
        envFrom: [{ configMapRef: { name: `${CONSOLE}-config` } }],
        // The image's entrypoint runs dist/apps/$SERVICE/main.js.
        env: [{ name: 'SERVICE', value: CONSOLE }],
        securityContext: restrictedContainer,
        ports: [{ name: 'http', containerPort: CONSOLE_PORT, protocol: 'TCP' }],
        startupProbe: probe('/healthz', 2, 30),
        livenessProbe: probe('/healthz', 10, 3),
        readinessProbe: probe('/healthz', 5, 2),
        lifecycle: drainPause,
        resources: { requests: { cpu: '50m', memory: '96Mi' }, limits: { memory: '192Mi' } },
        volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
      },
    ],
    volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '16Mi' } }],
  });
  const policy: Manifest = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: CONSOLE, labels },
    spec: {
      podSelector: { matchLabels: labels },
      policyTypes: ['Ingress', 'Egress'],
      // People reach it through the ingress controller only; DNS is allowed to every pod (shared.yaml).
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { 'stepwise.io/ingress': 'true' } } }],
          ports: [{ protocol: 'TCP', port: CONSOLE_PORT }],
        },
      ],
      egress: SERVICES.map((service) =>
        egressTo({ matchLabels: podLabels(service, 'api') }, deploymentOf(service).port),
      ),
    },
  };
  return [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: CONSOLE, labels },
      automountServiceAccountToken: false,
    },
    config,
    deployment,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: CONSOLE, labels },
      spec: {
        selector: labels,
        ports: [{ name: 'http', port: CONSOLE_PORT, targetPort: 'http', protocol: 'TCP' }],
      },
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: CONSOLE, labels },
      spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
    },
    policy,
  ];
}

/** Strimzi takes topic configs as strings or numbers; Kafka's `-1` retention means "keep forever". */
function kafkaTopic(topic: TopicSpec): Manifest {
  return {
    apiVersion: STRIMZI,
    kind: 'KafkaTopic',
    metadata: {
      name: topic.name.replace(/\./g, '-'),
      labels: { 'strimzi.io/cluster': KAFKA_CLUSTER, 'stepwise.io/owner': topic.owner },
    },
    spec: {
      topicName: topic.name,
      partitions: topic.partitions,
      // No `replicas`: the cluster's default.replication.factor (1 in dev, 3 in production) applies.
      config: {
        'cleanup.policy': topic.cleanupPolicy,
        'retention.ms': topic.retentionMs,
        'min.compaction.lag.ms': topic.cleanupPolicy === 'compact' ? 60_000 : 0,
      },
    },
  };
}

function acl(
  type: 'topic' | 'group' | 'cluster',
  name: string | undefined,
  operations: readonly string[],
): Manifest {
  const resource = type === 'cluster' ? { type } : { type, name, patternType: 'literal' };
  return { resource, operations: [...operations] };
}

/**
 * One SCRAM-SHA-512 user per service. ACLs: write what it produces, read what it consumes, its own consumer
 * groups; Describe on both for metadata and the lag checks of readiness and replay. Nothing else.
 */
function kafkaUser(service: ServiceName): Manifest {
  const produced = producedTopics(service);
  const consumed = consumedTopics(service);
  const topics = [...new Set([...produced, ...consumed])].sort();
  return {
    apiVersion: STRIMZI,
    kind: 'KafkaUser',
    metadata: { name: `stepwise-${service}`, labels: { 'strimzi.io/cluster': KAFKA_CLUSTER } },
    spec: {
      authentication: { type: 'scram-sha-512' },
      authorization: {
        type: 'simple',
        acls: [
          ...topics.map((topic) =>
            acl('topic', topic, [
              'Describe',
              ...(produced.includes(topic) ? ['Write'] : []),
              ...(consumed.includes(topic) ? ['Read'] : []),
            ]),
          ),
          ...consumerGroupIds(service).map((group) => acl('group', group, ['Describe', 'Read'])),
        ],
      },
    },
  };
}

/**
 * The database of all four services: one `stepwise` database, each service's owner and application roles as
 * managed roles (passwords from `<service>-db-owner` / `<service>-db-app`, basic-auth Secrets), and after
 * initdb the same schema, grants and default privileges `tools/infra` sets up locally (the very statements:
 * `serviceSchemaStatements`). The roles are created without login there; the managed roles then add login and
 * password.
 */
function postgresCluster(): Manifest {
  const roles = SERVICES.flatMap((service) => {
    const { ownerRole, appRole } = roleNames(service);
    return [
      {
        role: ownerRole,
        secret: `${service}-db-owner`,
        comment: `Owner of schema ${service}: migrations only`,
      },
      {
        role: appRole,
        secret: `${service}-db-app`,
        comment: `The ${service} service: data access in its schema`,
      },
    ];
  });
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name: POSTGRES_CLUSTER },
    spec: {
      instances: 1,
      imageName: 'ghcr.io/cloudnative-pg/postgresql:17.6',
      primaryUpdateStrategy: 'unsupervised',
      storage: { size: '5Gi' },
      resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } },
      monitoring: { enablePodMonitor: true },
      bootstrap: {
        initdb: {
          database: DATABASE,
          owner: 'stepwise',
          postInitApplicationSQL: [
            ...roles.map(
              ({ role }) => `CREATE ROLE "${role}" NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION`,
            ),
            ...databaseLockdownStatements(DATABASE),
            ...SERVICES.flatMap((service) => serviceSchemaStatements(DATABASE, service)),
          ],
        },
      },
      managed: {
        roles: roles.map(({ role, secret, comment }) => ({
          name: role,
          ensure: 'present',
          comment,
          login: true,
          superuser: false,
          createdb: false,
          createrole: false,
          replication: false,
          bypassrls: false,
          inherit: true,
          connectionLimit: 50,
          passwordSecret: { name: secret },
        })),
      },
    },
  };
}

/**
 * Production autoscaling, one KEDA ScaledObject per service: CPU (the HPA the issue asks for: KEDA creates and
 * owns it — a second HPA on the same Deployment would fight it) and the lag of its consumer group, capped at
 * one replica per partition of its widest topic.
 */
function scaledObject(service: ServiceName): Manifest[] {
  const consumed = consumedTopics(service).filter((topic) => !topic.endsWith('.dlq.v1'));
  return [
    {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'TriggerAuthentication',
      metadata: { name: `${service}-kafka`, labels: podLabels(service, 'api') },
      spec: {
        configMapTargetRef: [
          { parameter: 'username', name: `${service}-config`, key: 'KAFKA_SASL_USERNAME' },
        ],
        secretTargetRef: [
          { parameter: 'password', name: `stepwise-${service}`, key: 'password' },
          { parameter: 'ca', name: KAFKA_CA_SECRET, key: 'ca.crt' },
        ],
      },
    },
    {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: service, labels: podLabels(service, 'api') },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: service },
        minReplicaCount: 2,
        maxReplicaCount: maxConsumers(service),
        pollingInterval: 30,
        cooldownPeriod: 300,
        advanced: {
          horizontalPodAutoscalerConfig: {
            name: service,
            behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
          },
        },
        triggers: [
          { type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } },
          ...consumed.map((topic) => ({
            type: 'kafka',
            name: `lag-${topic.replace(/\./g, '-')}`,
            metadata: {
              bootstrapServers: KAFKA_BOOTSTRAP,
              consumerGroup: consumerGroupId(service),
              topic,
              lagThreshold: '500',
              sasl: 'scram_sha512',
              tls: 'enable',
              // Never more consumers than partitions of this topic (the ScaledObject caps the total).
              allowIdleConsumers: 'false',
            },
            authenticationRef: { name: `${service}-kafka` },
          })),
        ],
      },
    },
  ];
}

/**
 * The production Secrets as External Secrets Operator resources: each key of the Secrets contract read from
 * the secret store (`stepwise/<service>` in the ClusterSecretStore `stepwise`, one property per key).
 */
function externalSecrets(service: ServiceName): Manifest[] {
  const keys = serviceSecrets(service).map((v) => v.name);
  const remote = (property: string): Manifest => ({ key: `stepwise/${service}`, property });
  const externalSecret = (name: string, data: Manifest[], template?: Manifest): Manifest => ({
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name, labels: podLabels(service, 'api') },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'stepwise' },
      target: { name, creationPolicy: 'Owner', ...(template === undefined ? {} : { template }) },
      data,
    },
  });
  // CloudNativePG's managed roles read basic-auth Secrets; the label makes it apply a rotated password.
  const roleSecret = (name: string, role: string, property: string): Manifest =>
    externalSecret(name, [{ secretKey: 'password', remoteRef: remote(property) }], {
      type: 'kubernetes.io/basic-auth',
      metadata: { labels: { 'cnpg.io/reload': 'true' } },
      data: { username: role, password: '{{ .password }}' },
    });
  const { ownerRole, appRole } = roleNames(service);
  return [
    externalSecret(
      `${service}-secrets`,
      keys.map((key) => ({ secretKey: key, remoteRef: remote(key) })),
    ),
    roleSecret(`${service}-db-owner`, ownerRole, 'DB_OWNER_PASSWORD'),
    roleSecret(`${service}-db-app`, appRole, 'DB_APP_PASSWORD'),
    // Production's SMS provider (http) needs its token, mounted as a file (sms-token.yaml).
    ...(service === 'notifications'
      ? [
          externalSecret(SMS_TOKEN_SECRET, [
            { secretKey: SMS_TOKEN_KEY, remoteRef: remote('SMS_AUTH_TOKEN') },
          ]),
        ]
      : []),
  ];
}

/** The committed dashboards and alert rules of `observability/` (generated by tools/observability). */
export const OBSERVABILITY_DIR = join(__dirname, '..', '..', 'observability');
const DASHBOARDS_DIR = join(OBSERVABILITY_DIR, 'grafana', 'dashboards');
export const RULES_FILE = join(OBSERVABILITY_DIR, 'prometheus', 'rules', 'stepwise.rules.yml');

/** What the observability resources are made of: the dashboards' files by name, and the rule file's text. */
export interface ObservabilitySources {
  readonly dashboards: ReadonlyMap<string, string>;
  readonly rules: string;
}

/** The committed files, dashboards in name order. */
export function observabilitySources(): ObservabilitySources {
  return {
    dashboards: new Map(
      readdirSync(DASHBOARDS_DIR)
        .filter((name) => name.endsWith('.json'))
        .sort()
        .map((name) => [name, readFileSync(join(DASHBOARDS_DIR, name), 'utf8')]),
    ),
    rules: readFileSync(RULES_FILE, 'utf8'),
  };
}

/**
 * The dashboards for Grafana's dashboard sidecar (kube-prometheus-stack: `sidecar.dashboards`), which loads
 * every ConfigMap labelled `grafana_dashboard: "1"` it can see, into the folder the annotation names. The
 * files' text, unchanged: the dashboards pick their Prometheus through their `datasource` variable.
 */
function dashboardsConfigMap(sources: ObservabilitySources): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'stepwise-dashboards',
      labels: { grafana_dashboard: '1' },
      annotations: { grafana_folder: 'Stepwise' },
    },
    data: Object.fromEntries(sources.dashboards),
  };
}

/** The alert and recording rules of `stepwise.rules.yml` as the Prometheus Operator loads them. */
function prometheusRule(sources: ObservabilitySources): Manifest {
  const rules = parse(sources.rules) as { groups: Manifest[] };
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'stepwise' },
    spec: { groups: rules.groups },
  };
}

export function generatedFiles(observability = observabilitySources()): GeneratedFiles {
  const files: GeneratedFiles = new Map();
  for (const service of SERVICES)
    files.set(`base/services/${service}.yaml`, serviceBundle(deploymentOf(service)));
  files.set('base/console.yaml', consoleBundle());
  files.set('data/kafka-topics.yaml', ALL_TOPICS.map(kafkaTopic));
  files.set('data/kafka-users.yaml', SERVICES.map(kafkaUser));
  files.set('data/postgres-cluster.yaml', [postgresCluster()]);
  files.set('overlays/production/autoscaling.yaml', SERVICES.flatMap(scaledObject));
  files.set('overlays/production/external-secrets.yaml', SERVICES.flatMap(externalSecrets));
  files.set('components/observability/observability.yaml', [
    dashboardsConfigMap(observability),
    prometheusRule(observability),
  ]);
  return files;
}
