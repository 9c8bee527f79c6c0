import { SERVICES } from '@stepwise/contracts';
import { bootstrapDatabase, withDatabase } from '@stepwise/infra';
import Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { getContainerRuntimeClient } from 'testcontainers';
import { chooseTestInfra } from './test-infra-choice';
import {
  type TestContainer,
  startKafkaContainer,
  startPostgresContainer,
  startRedisContainer,
  testImages,
} from './test-containers';

describe('the integration infrastructure in containers (testcontainers)', () => {
  let postgres: TestContainer | undefined;
  let redis: TestContainer | undefined;
  let kafka: TestContainer | undefined;
  const started = (container: TestContainer | undefined): TestContainer => {
    if (container === undefined) throw new Error('the container did not start');
    return container;
  };

  beforeAll(async () => {
    await expect(chooseTestInfra()).resolves.toBe('containers');
    const images = testImages();
    // allSettled: when one fails to start, the others are still assigned and stopped by afterAll.
    const [p, r, k] = await Promise.allSettled([
      startPostgresContainer(images.postgres),
      startRedisContainer(images.redis),
      startKafkaContainer(images.kafka),
    ]);
    const value = (result: PromiseSettledResult<TestContainer>): TestContainer | undefined =>
      result.status === 'fulfilled' ? result.value : undefined;
    [postgres, redis, kafka] = [value(p), value(r), value(k)];
    for (const result of [p, r, k]) if (result.status === 'rejected') throw result.reason;
  });
  afterAll(async () => {
    await Promise.all([postgres?.container.stop(), redis?.container.stop(), kafka?.container.stop()]);
  });

  it('binds every published port to 127.0.0.1 only, never to all addresses', async () => {
    const client = await getContainerRuntimeClient();
    for (const container of [started(postgres), started(redis), started(kafka)]) {
      const inspected = await client.container.inspect(client.container.getById(container.container.getId()));
      const bindings = Object.values(
        inspected.HostConfig.PortBindings as Record<string, { HostIp?: string }[]>,
      );
      expect(bindings.length).toBeGreaterThan(0);
      expect(bindings.flat().map((binding) => binding.HostIp)).toEqual(
        bindings.flat().map(() => '127.0.0.1'),
      );
    }
  });

  it('publishes PostgreSQL on 127.0.0.1 and bootstraps every service schema in it', async () => {
    const url = started(postgres).url;
    expect(new URL(url).hostname).toBe('127.0.0.1');
    const databases = await bootstrapDatabase(url, 'stepwise', SERVICES);
    expect(databases.map((d) => d.service)).toEqual([...SERVICES]);
    const client = new Client({ connectionString: withDatabase(url, 'stepwise') });
    await client.connect();
    try {
      const schemas = databases.map((d) => d.schema);
      const { rows } = await client.query<{ schema_name: string }>(
        'SELECT schema_name FROM information_schema.schemata WHERE schema_name = ANY($1) ORDER BY 1',
        [schemas],
      );
      expect(rows.map((r) => r.schema_name)).toEqual([...schemas].sort());
    } finally {
      await client.end();
    }
  });

  it('publishes Redis on 127.0.0.1 and answers commands', async () => {
    const url = started(redis).url;
    expect(new URL(url).hostname).toBe('127.0.0.1');
    const client = new Redis(url, { lazyConnect: true });
    await client.connect();
    try {
      await client.set('stepwise:containers-spec', 'ok');
      await expect(client.get('stepwise:containers-spec')).resolves.toBe('ok');
    } finally {
      client.disconnect();
    }
  });

  it('runs Kafka with the local broker settings, advertised on its 127.0.0.1 port', async () => {
    const brokers = [started(kafka).url];
    expect(brokers[0]).toMatch(/^127\.0\.0\.1:\d+$/);
    const client = new Kafka({ clientId: 'containers-spec', brokers, logLevel: logLevel.NOTHING });
    // Few retries for the one send expected to fail; the group's own clients keep kafkajs's defaults.
    const impatient = new Kafka({
      clientId: 'containers-spec-undeclared',
      brokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 2, initialRetryTime: 200 },
    }).producer();
    const admin = client.admin();
    const producer = client.producer();
    const consumer = client.consumer({ groupId: 'containers-spec' });
    await Promise.all([admin.connect(), producer.connect(), consumer.connect(), impatient.connect()]);
    try {
      const cluster = await admin.describeCluster();
      expect(cluster.brokers.map((b) => `${b.host}:${b.port}`)).toEqual(brokers);
      // auto.create.topics.enable=false reached the broker: a topic exists only once created.
      await expect(
        impatient.send({ topic: 'containers-spec.undeclared', messages: [{ value: 'x' }] }),
      ).rejects.toThrow();
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic: 'containers-spec.echo' }] });
      await producer.send({ topic: 'containers-spec.echo', messages: [{ value: 'ok' }] });
      await consumer.subscribe({ topic: 'containers-spec.echo', fromBeginning: true });
      const received = await new Promise<string>((resolve, reject) => {
        consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
        consumer
          .run({ eachMessage: ({ message }) => Promise.resolve(resolve(String(message.value))) })
          .catch(reject);
      });
      expect(received).toBe('ok');
    } finally {
      await Promise.all([
        admin.disconnect(),
        producer.disconnect(),
        consumer.disconnect(),
        impatient.disconnect(),
      ]);
    }
  });
});
