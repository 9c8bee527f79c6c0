import { SERVICES } from '@stepwise/contracts';
import { bootstrapDatabase, withDatabase } from '@stepwise/infra';
import Redis from 'ioredis';
import { Client } from 'pg';
import { chooseTestInfra } from './test-infra-choice';
import {
  type TestContainer,
  startPostgresContainer,
  startRedisContainer,
  testImages,
} from './test-containers';

describe('the integration infrastructure in containers (testcontainers)', () => {
  let postgres: TestContainer | undefined;
  let redis: TestContainer | undefined;
  const started = (container: TestContainer | undefined): TestContainer => {
    if (container === undefined) throw new Error('the container did not start');
    return container;
  };

  beforeAll(async () => {
    await expect(chooseTestInfra()).resolves.toBe('containers');
    const images = testImages();
    [postgres, redis] = await Promise.all([
      startPostgresContainer(images.postgres),
      startRedisContainer(images.redis),
    ]);
  });
  afterAll(async () => {
    await Promise.all([postgres?.container.stop(), redis?.container.stop()]);
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
});
