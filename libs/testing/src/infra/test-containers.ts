import { createServer } from 'node:net';
import {
  KAFKA_VERSION,
  SINGLE_NODE_BROKER_SETTINGS,
  brokerAnswers,
  groupCoordinatorsAnswer,
  newClusterId,
  postgresAnswers,
  redisAnswers,
} from '@stepwise/infra';
import { GenericContainer, type StartedTestContainer, Wait } from 'testcontainers';
import { waitFor } from './wait-for';

/**
 * The images of the integration tests' containers: the official ones on a normal machine; a machine without a
 * registry names locally built images with the same interface (`npm run test:containers` builds them).
 */
export interface TestImages {
  readonly postgres: string;
  readonly redis: string;
  readonly kafka: string;
}

export function testImages(env: Readonly<Record<string, string | undefined>> = process.env): TestImages {
  return {
    postgres: env.STEPWISE_POSTGRES_IMAGE || 'postgres:15',
    redis: env.STEPWISE_REDIS_IMAGE || 'redis:7',
    kafka: env.STEPWISE_KAFKA_IMAGE || `apache/kafka:${KAFKA_VERSION}`,
  };
}

/** A started container and the address the tests use (always on 127.0.0.1). */
export interface TestContainer {
  readonly url: string;
  readonly container: StartedTestContainer;
}

const POSTGRES_PASSWORD = 'postgres';

/**
 * A container whose ports are published on 127.0.0.1 only. testcontainers binds them on every address by
 * default and `TESTCONTAINERS_HOST_OVERRIDE` only changes where it connects, so the bindings name the address.
 */
class LoopbackContainer extends GenericContainer {
  override start(): Promise<StartedTestContainer> {
    const bindings = this.hostConfig.PortBindings as Record<string, { HostPort?: string }[]> | undefined;
    if (bindings !== undefined)
      for (const [port, hosts] of Object.entries(bindings))
        bindings[port] = hosts.map((binding) => ({ ...binding, HostIp: '127.0.0.1' }));
    // A run's containers carry its id, so the script that started the run can remove what a crash left.
    const run = process.env['STEPWISE_CONTAINERS_RUN'];
    if (run !== undefined && run !== '') this.withLabels({ 'org.stepwise.run': run });
    return super.start();
  }
}

/** Where the tests reach a container: 127.0.0.1 only (set TESTCONTAINERS_HOST_OVERRIDE for remote engines). */
function requireLoopback(container: StartedTestContainer): string {
  const host = container.getHost();
  if (host !== '127.0.0.1' && host !== 'localhost')
    throw new Error(
      `containers must be reached on 127.0.0.1 (set TESTCONTAINERS_HOST_OVERRIDE), not ${host}`,
    );
  return '127.0.0.1';
}

/** PostgreSQL, its superuser's URL once it answers a query. */
export async function startPostgresContainer(image: string, timeoutMs = 300_000): Promise<TestContainer> {
  const container = await new LoopbackContainer(image)
    .withEnvironment({ POSTGRES_PASSWORD })
    .withExposedPorts(5432)
    .withWaitStrategy(Wait.forListeningPorts())
    .withStartupTimeout(timeoutMs)
    .start();
  const url = `postgres://postgres:${POSTGRES_PASSWORD}@${requireLoopback(container)}:${container.getMappedPort(5432)}/postgres`;
  await waitFor('PostgreSQL in its container to answer', () => postgresAnswers(url), Boolean, timeoutMs);
  return { url, container };
}

/** Redis without persistence, its URL once it answers. */
export async function startRedisContainer(image: string, timeoutMs = 300_000): Promise<TestContainer> {
  const container = await new LoopbackContainer(image)
    .withCommand([
      'redis-server',
      '--save',
      '',
      '--appendonly',
      'no',
      '--protected-mode',
      'no',
      '--bind',
      '0.0.0.0',
    ])
    .withExposedPorts(6379)
    .withWaitStrategy(Wait.forListeningPorts())
    .withStartupTimeout(timeoutMs)
    .start();
  const url = `redis://${requireLoopback(container)}:${container.getMappedPort(6379)}`;
  await waitFor('Redis in its container to answer', () => redisAnswers(url), Boolean, timeoutMs);
  return { url, container };
}

/** A port nothing listens on at this moment, on 127.0.0.1. */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port was assigned')),
      );
    });
  });
}

/** A broker setting as the official image's variable: `log.dirs` -> `KAFKA_LOG_DIRS` (`_` -> `__`). */
const kafkaVariable = (property: string): string =>
  `KAFKA_${property.replace(/_/g, '__').replace(/\./g, '_').toUpperCase()}`;

/** The clients' port inside the Kafka container: the one the images declare. */
const KAFKA_CONTAINER_PORT = 9092;

/**
 * The variables of a single-node KRaft broker container whose clients' port is published on 127.0.0.1:`port`:
 * the local broker's settings, as the official image reads them (`KAFKA_*` and `CLUSTER_ID`).
 */
export function kafkaContainerEnvironment(port: number, clusterId: string): Record<string, string> {
  const settings: Record<string, string> = {
    ...SINGLE_NODE_BROKER_SETTINGS,
    'node.id': '1',
    'process.roles': 'broker,controller',
    'controller.quorum.voters': '1@127.0.0.1:9093',
    // Clients: 9092 inside, published on 127.0.0.1:port and advertised so. The broker reaches itself on BROKER.
    listeners: `PLAINTEXT://0.0.0.0:${KAFKA_CONTAINER_PORT},BROKER://127.0.0.1:9094,CONTROLLER://127.0.0.1:9093`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port},BROKER://127.0.0.1:9094`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'BROKER',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,BROKER:PLAINTEXT',
    'log.dirs': '/tmp/kraft-combined-logs',
  };
  return {
    ...Object.fromEntries(Object.entries(settings).map(([key, value]) => [kafkaVariable(key), value])),
    CLUSTER_ID: clusterId,
    KAFKA_HEAP_OPTS: '-Xmx512m -Xms512m',
  };
}

/**
 * A single-node KRaft broker with the local broker's settings, through the official image's interface
 * (`KAFKA_*` variables, `CLUSTER_ID`), its bootstrap address once it serves metadata and consumer groups. Clients follow the
 * advertised listener, which must name the published port before the broker starts: a free loopback port is
 * chosen here and published as such (testcontainers' KafkaContainer learns it after start with a start script).
 * The budget is generous: on two cores shared with other test runs the broker took 3½ minutes to serve.
 */
export async function startKafkaContainer(image: string, timeoutMs = 600_000): Promise<TestContainer> {
  const port = await freeLoopbackPort();
  const container = await new LoopbackContainer(image)
    .withEnvironment(kafkaContainerEnvironment(port, newClusterId()))
    .withExposedPorts({ container: KAFKA_CONTAINER_PORT, host: port })
    .withWaitStrategy(Wait.forListeningPorts())
    .withStartupTimeout(timeoutMs)
    .start();
  const url = `${requireLoopback(container)}:${port}`;
  await waitFor('Kafka in its container to answer', () => brokerAnswers([url]), Boolean, timeoutMs);
  // Up means serving everything the tests ask of it, consumer groups included: a fresh broker's group
  // coordinators load after it answers metadata, and a consumer that joins before is refused.
  await waitFor(
    'Kafka in its container to coordinate consumer groups',
    () => groupCoordinatorsAnswer([url]),
    Boolean,
    timeoutMs,
  );
  return { url, container };
}
