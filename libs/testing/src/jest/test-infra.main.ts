/**
 * Run by the integration tests' global setup (global-setup.cjs): chooses the infrastructure
 * (`STEPWISE_TEST_INFRA`, see test-infra-choice.ts), makes it ready and writes one line of JSON on stdout,
 * `{"infra": …, "env": {…}}`, with the same variables on either path.
 *  - local: PostgreSQL, Redis and Kafka as processes (tools/infra, reused when they run); exits.
 *  - containers: the three started by testcontainers and bootstrapped like the local ones; it keeps running
 *    until its stdin closes (the global teardown, or Jest ending any other way), then stops them.
 * Progress goes to stderr, which the setup shows when something fails.
 */
import { ensureInfrastructure } from '@stepwise/infra';
import { chooseTestInfra } from '../infra/test-infra-choice';
import {
  type TestContainer,
  startKafkaContainer,
  startPostgresContainer,
  startRedisContainer,
  testImages,
} from '../infra/test-containers';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

async function stopAll(containers: readonly TestContainer[]): Promise<void> {
  await Promise.allSettled(containers.map((c) => c.container.stop()));
}

/** Starts the three containers; when one fails, stops the others before failing. */
async function startContainers(): Promise<[TestContainer, TestContainer, TestContainer]> {
  const images = testImages();
  log(`Starting ${images.postgres}, ${images.redis} and ${images.kafka} (testcontainers)...`);
  const results = await Promise.allSettled([
    startPostgresContainer(images.postgres),
    startRedisContainer(images.redis),
    startKafkaContainer(images.kafka),
  ]);
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failure = results.find((r) => r.status === 'rejected');
  if (failure !== undefined) {
    await stopAll(started);
    throw failure.reason;
  }
  const [postgres, redis, kafka] = started;
  if (postgres === undefined || redis === undefined || kafka === undefined)
    throw new Error('a container did not start');
  return [postgres, redis, kafka];
}

async function main(): Promise<void> {
  const infra = await chooseTestInfra();
  if (infra === 'local') {
    const env = await ensureInfrastructure(log);
    // Exit once the line is out: pipes are written asynchronously, and clients may linger a moment.
    process.stdout.write(`${JSON.stringify({ infra, env })}\n`, () => process.exit(0));
    return;
  }
  const containers = await startContainers();
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= stopAll(containers).then(() => process.exit(0)));
  process.stdin.on('end', () => void stop());
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  try {
    const [postgres, redis, kafka] = containers;
    const env = await ensureInfrastructure(log, {
      containers: { postgres: postgres.url, redis: redis.url, kafka: kafka.url },
    });
    process.stdout.write(`${JSON.stringify({ infra, env })}\n`);
    process.stdin.resume();
  } catch (error) {
    await stopAll(containers);
    throw error;
  }
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
