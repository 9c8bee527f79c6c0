import { postgresAnswers, redisAnswers } from '@stepwise/infra';
import { GenericContainer, type StartedTestContainer, Wait } from 'testcontainers';
import { waitFor } from './wait-for';

/**
 * The images of the integration tests' containers: the official ones on a normal machine; a machine without a
 * registry names locally built images with the same interface (`npm run test:containers` builds them).
 */
export interface TestImages {
  readonly postgres: string;
  readonly redis: string;
}

export function testImages(env: Readonly<Record<string, string | undefined>> = process.env): TestImages {
  return {
    postgres: env.STEPWISE_POSTGRES_IMAGE || 'postgres:15',
    redis: env.STEPWISE_REDIS_IMAGE || 'redis:7',
  };
}

/** A started container and the address the tests use (always on 127.0.0.1). */
export interface TestContainer {
  readonly url: string;
  readonly container: StartedTestContainer;
}

const POSTGRES_PASSWORD = 'postgres';

/** Ports published on loopback only: testcontainers is told so by `TESTCONTAINERS_HOST_OVERRIDE`. */
function requireLoopback(container: StartedTestContainer): string {
  const host = container.getHost();
  if (host !== '127.0.0.1' && host !== 'localhost')
    throw new Error(
      `containers must be reached on 127.0.0.1 (set TESTCONTAINERS_HOST_OVERRIDE), not ${host}`,
    );
  return '127.0.0.1';
}

/** PostgreSQL, its superuser's URL once it answers a query. */
export async function startPostgresContainer(image: string, timeoutMs = 120_000): Promise<TestContainer> {
  const container = await new GenericContainer(image)
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
export async function startRedisContainer(image: string, timeoutMs = 60_000): Promise<TestContainer> {
  const container = await new GenericContainer(image)
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
