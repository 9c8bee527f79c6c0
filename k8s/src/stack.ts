import {
  ALL_TOPICS,
  CONSUMED_TOPICS,
  SERVICES,
  type ServiceName,
  deadLetterTopic,
} from '@stepwise/contracts';

/**
 * What the manifests of k8s/ are made of, declared once: the services' ports and secrets, the data plane's
 * names, and where each service may connect. `manifests.ts` builds the generated files from it; the tests check
 * the rendered overlays against it and against the code (configuration classes, `@OnEvent` handlers).
 */

/**
 * The one image (the repository's Dockerfile); `SERVICE` selects the app. The name `docker build -t stepwise:0.1.0 .`
 * gives it, which a kind/minikube trial loads directly; production sets its registry's reference (`IMAGE` in
 * `overlays/production/settings.env`).
 */
export const IMAGE = 'stepwise';
export const IMAGE_TAG = '0.1.0';

/**
 * The identity provider the base expects: Keycloak in the namespace `identity` (labelled `stepwise.io/identity`,
 * which the base NetworkPolicy admits), realm `stepwise`, plain HTTP inside the cluster. Production sets its own
 * issuer (`overlays/production/settings.env`).
 */
export const IDENTITY_REALM = 'http://keycloak.identity.svc.cluster.local:8080/realms/stepwise';
export const IDENTITY_PORT = 8080;

/**
 * The staff console (apps/console): its server, from the same image (`SERVICE=console`), serves the built app
 * and forwards `/api/<service>` to the four services. It holds no secret and calls nothing else: the browser
 * signs in at the identity provider itself (OIDC_ISSUER, the provider's public client CONSOLE_CLIENT_ID).
 */
export const CONSOLE = 'console';
export const CONSOLE_PORT = 4173;
export const CONSOLE_CLIENT_ID = 'stepwise-console';

/** The Strimzi cluster (dev overlay), its TLS + SCRAM-SHA-512 listener and the CA secret Strimzi creates. */
export const KAFKA_CLUSTER = 'stepwise';
export const KAFKA_TLS_PORT = 9093;
export const KAFKA_BOOTSTRAP = `${KAFKA_CLUSTER}-kafka-bootstrap:${KAFKA_TLS_PORT}`;
export const KAFKA_CA_SECRET = `${KAFKA_CLUSTER}-cluster-ca-cert`;

/** The CloudNativePG cluster and the database every service's schema lives in (as locally: `stepwise`). */
export const POSTGRES_CLUSTER = 'stepwise-db';
export const DATABASE = 'stepwise';
export const REDIS_PORT = 6379;
export const POSTGRES_PORT = 5432;

/** Where the service reads its Kafka credentials: files, never environment values in a manifest. */
export const KAFKA_CA_MOUNT = '/var/run/secrets/stepwise/kafka-ca';
export const KAFKA_USER_MOUNT = '/var/run/secrets/stepwise/kafka-user';

/**
 * The SMS provider's auth token, which the `http` provider requires (SMS_AUTH_TOKEN_FILE): its own Secret, so
 * the base (the development sink) needs none, and production mounts it as a file into notifications' pods
 * (`overlays/production/sms-token.yaml`). External Secrets fills it from the store's `SMS_AUTH_TOKEN`.
 */
export const SMS_TOKEN_SECRET = 'notifications-sms';
export const SMS_TOKEN_KEY = 'auth-token';

/** A variable the service reads from its Secret `<service>-secrets` (key = variable name). */
export interface SecretVariable {
  readonly name: string;
  /** Optional keys may be absent from the Secret (e.g. no retired key before the first rotation). */
  readonly optional?: boolean;
  /**
   * A syntactically valid stand-in (never a real credential): the tests give it to the service's configuration
   * schema in place of the secret, so a key whose value could never pass validation is caught.
   */
  readonly example: string;
}

/** 32 zero bytes in base64: the shape of a KEK, obviously not one. */
const EXAMPLE_KEK = Buffer.alloc(32).toString('base64');

/** Variables the image itself reads (its entrypoint), not the service's configuration. */
export const IMAGE_VARIABLES = ['SERVICE'] as const;

export interface ServiceDeployment {
  readonly service: ServiceName;
  readonly port: number;
  /** Non-secret settings of this service (the shared ones are in `stepwise-config`). */
  readonly settings: Readonly<Record<string, string>>;
  /** Secret variables besides the shared DATABASE_URL and REDIS_URL. */
  readonly secrets: readonly SecretVariable[];
  /** Services whose HTTP API this one calls (internal routes). */
  readonly calls: readonly ServiceName[];
  /** Whether it sends to the outside world (SMTP, SMS provider, webhooks). */
  readonly outboundDelivery: boolean;
}

export const DEPLOYMENTS: readonly ServiceDeployment[] = [
  {
    service: 'intake',
    port: 3001,
    settings: { PHI_KEK_ID: 'kek-1' },
    secrets: [
      { name: 'PHI_KEK', example: EXAMPLE_KEK },
      { name: 'PHI_RETIRED_KEKS', optional: true, example: `kek-0:${EXAMPLE_KEK}` },
    ],
    calls: [],
    outboundDelivery: false,
  },
  {
    service: 'scheduling',
    port: 3002,
    // Intake decides and accounts every FHIR disclosure it serves, called with its own service token.
    settings: {
      INTAKE_URL: 'http://intake:3001',
      AUTH_CLIENT_ID: 'scheduling',
      AUTH_TOKEN_URL: `${IDENTITY_REALM}/protocol/openid-connect/token`,
    },
    secrets: [{ name: 'AUTH_CLIENT_SECRET', example: 'example-client-secret' }],
    calls: ['intake'],
    outboundDelivery: false,
  },
  {
    service: 'sessions',
    port: 3003,
    // Intake decides and accounts every FHIR disclosure it serves, called with its own service token.
    settings: {
      NOTES_KEK_ID: 'kek-1',
      INTAKE_URL: 'http://intake:3001',
      AUTH_CLIENT_ID: 'sessions',
      AUTH_TOKEN_URL: `${IDENTITY_REALM}/protocol/openid-connect/token`,
    },
    secrets: [
      { name: 'NOTES_KEK', example: EXAMPLE_KEK },
      { name: 'NOTES_RETIRED_KEKS', optional: true, example: `kek-0:${EXAMPLE_KEK}` },
      { name: 'AUTH_CLIENT_SECRET', example: 'example-client-secret' },
    ],
    calls: ['intake'],
    outboundDelivery: false,
  },
  {
    service: 'notifications',
    port: 3004,
    settings: {
      INTAKE_URL: 'http://intake:3001',
      SCHEDULING_URL: 'http://scheduling:3002',
      AUTH_CLIENT_ID: 'notifications',
      AUTH_TOKEN_URL: `${IDENTITY_REALM}/protocol/openid-connect/token`,
      SMS_PROVIDER: 'sink',
      // Production sets its own sender (settings.env); the trial's mail stays on the SMTP server it names.
      SMTP_FROM: 'no-reply@stepwise.local',
    },
    // SMTP_URL may carry credentials; the token URL is the identity provider's (set with AUTH_ISSUER). The
    // SMS provider's token is a Secret of its own (SMS_TOKEN_SECRET), mounted where the http provider is used.
    secrets: [
      { name: 'AUTH_CLIENT_SECRET', example: 'example-client-secret' },
      { name: 'SMTP_URL', example: 'smtps://user:example@smtp.internal:465' },
    ],
    calls: ['intake', 'scheduling'],
    outboundDelivery: true,
  },
];

export function deploymentOf(service: ServiceName): ServiceDeployment {
  const found = DEPLOYMENTS.find((d) => d.service === service);
  if (found === undefined) throw new Error(`No deployment declared for ${service}`);
  return found;
}

/** Secret variables every service reads (from `<service>-secrets`). */
export const SHARED_SECRETS: readonly SecretVariable[] = [
  { name: 'DATABASE_URL', example: `postgres://app:example@${POSTGRES_CLUSTER}-rw:5432/${DATABASE}` },
  { name: 'REDIS_URL', example: `redis://redis:${REDIS_PORT}` },
];

/** The schema owner's URL: only the migration Job reads it. */
export const MIGRATION_SECRET: SecretVariable = {
  name: 'DATABASE_MIGRATION_URL',
  example: `postgres://owner:example@${POSTGRES_CLUSTER}-rw:5432/${DATABASE}`,
};

/** The keys of `<service>-secrets`: what docs/deployment.md ("Secrets") lists and External Secrets fills. */
export function serviceSecrets(service: ServiceName): SecretVariable[] {
  return [...SHARED_SECRETS, MIGRATION_SECRET, ...deploymentOf(service).secrets];
}

/**
 * The secrets contract: every Secret a manifest may reference, with its keys. The operators make some of them
 * (Strimzi: the Kafka users' passwords and the cluster CA), the platform team the rest (docs/deployment.md).
 */
export function secretsContract(): Map<string, readonly SecretVariable[]> {
  const contract = new Map<string, readonly SecretVariable[]>([
    [
      KAFKA_CA_SECRET,
      [
        {
          name: 'ca.crt',
          example: '-----BEGIN CERTIFICATE-----\nZXhhbXBsZQ==\n-----END CERTIFICATE-----\n',
        },
      ],
    ],
  ]);
  const basicAuth = (username: string): SecretVariable[] => [
    { name: 'username', example: username },
    { name: 'password', example: 'example' },
  ];
  for (const service of SERVICES) {
    contract.set(`${service}-secrets`, serviceSecrets(service));
    contract.set(`stepwise-${service}`, [{ name: 'password', example: 'example' }]);
    contract.set(`${service}-db-owner`, basicAuth(`stepwise_${service}_owner`));
    contract.set(`${service}-db-app`, basicAuth(`stepwise_${service}_app`));
  }
  contract.set(SMS_TOKEN_SECRET, [{ name: SMS_TOKEN_KEY, example: 'example-token' }]);
  return contract;
}

/** Topics a service writes: those it owns (its outbox relay) and its own dead-letter topic (its consumer). */
export function producedTopics(service: ServiceName): string[] {
  return ALL_TOPICS.filter((topic) => topic.owner === service).map((topic) => topic.name);
}

/** Topics a service reads: what its consumer group subscribes to, and its dead letters (replay command). */
export function consumedTopics(service: ServiceName): string[] {
  return [...CONSUMED_TOPICS[service], deadLetterTopic(service)];
}

/**
 * The most replicas a consumer group can use: one per partition of its widest topic. More would sit idle,
 * so the lag autoscaler stops there.
 */
export function maxConsumers(service: ServiceName): number {
  return Math.max(
    ...CONSUMED_TOPICS[service].map(
      (name) => ALL_TOPICS.find((topic) => topic.name === name)?.partitions ?? 1,
    ),
  );
}

export { SERVICES };
