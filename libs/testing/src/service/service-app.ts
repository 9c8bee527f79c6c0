import { type INestApplication } from '@nestjs/common';
import {
  ALL_TOPICS,
  type AnyCareEvent,
  type EncodedMessage,
  type ServiceName,
  decodeEvent,
} from '@stepwise/contracts';
import {
  type ServiceConfig,
  type ServiceDefinition,
  createHttpApplication,
  dataSourceOptions,
  loadConfig,
  runMigrations,
} from '@stepwise/platform';
import { Kafka, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import { envExample } from '../config/env-example';
import { authEnv, kafkaBrokers, redisUrl } from '../infra/infra-env';
import { type TestDatabase, createTestDatabase } from '../infra/test-database';
import { waitFor } from '../infra/wait-for';
import {
  type ReceivedRecord,
  createTopics,
  deleteTopics,
  readTopics,
  testTopicPrefix,
} from '../messaging/kafka-topics';
import { http } from '../http/http-client';

export interface ServiceAppOptions {
  /** Names the test database and topic prefix (letters, digits, underscores). */
  readonly label: string;
  /** The app's `.env.example`: the base configuration, overridden by the test's infrastructure. */
  readonly envExample: string;
  /** Further variables (e.g. a shorter retry delay); they win over everything else. */
  readonly env?: Readonly<Record<string, string>>;
}

/** A service running in the test process on its own database and its own topics. */
export interface ServiceApp {
  readonly app: INestApplication;
  readonly url: string;
  readonly prefix: string;
  readonly db: TestDatabase;
  /** The service's schema, opened as its application role: for asserting on rows and for raw reads. */
  readonly dataSource: DataSource;
  /** Produces encoded events (from `encodeEvent`) to their topics under this app's prefix, and returns them. */
  publish(...messages: EncodedMessage[]): Promise<EncodedMessage[]>;
  /** Reads a topic (logical name) of this app's prefix from the start until `until` holds; decoded events. */
  readEvents(
    topic: string,
    until: (events: readonly AnyCareEvent[]) => boolean,
    options?: { timeoutMs?: number },
  ): Promise<AnyCareEvent[]>;
  /** Raw records of a topic (logical name), e.g. the service's dead-letter topic. */
  readRecords(
    topic: string,
    until: (records: readonly ReceivedRecord[]) => boolean,
    options?: { timeoutMs?: number },
  ): Promise<ReceivedRecord[]>;
  close(): Promise<void>;
}

/**
 * The environment of a service under test: its `.env.example`, then the test infrastructure (identity, its
 * schema of `db`, Kafka, Redis), then `env`.
 */
export function serviceTestEnv(
  service: ServiceName,
  db: TestDatabase,
  envExamplePath: string,
  env: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    ...envExample(envExamplePath),
    ...authEnv(),
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: db.service(service).url,
    DATABASE_MIGRATION_URL: db.service(service).migrationUrl,
    KAFKA_BROKERS: kafkaBrokers().join(','),
    REDIS_URL: redisUrl(),
    ...env,
  };
}

/**
 * Runs a service's real root module in-process, the way its process would (same HTTP conventions, relay and
 * consumer), on a migrated test database of its own and on every topic of the topic map under a prefix of
 * its own. Resolves once `/health/ready` answers 200 — database migrated, Kafka and Redis reachable, the
 * consumer a member of its group.
 */
export async function startServiceApp<C extends ServiceConfig>(
  definition: ServiceDefinition<C>,
  options: ServiceAppOptions,
): Promise<ServiceApp> {
  const service = definition.name as ServiceName;
  const db = await createTestDatabase(options.label);
  const prefix = testTopicPrefix(options.label);
  const topics = ALL_TOPICS.map((t) => `${prefix}${t.name}`);
  await createTopics(topics, { partitions: 3 });
  await runMigrations(db.service(service).migrationUrl, options.label, definition.database);
  const env = serviceTestEnv(service, db, options.envExample, {
    KAFKA_TOPIC_PREFIX: prefix,
    RELAY_POLL_INTERVAL_MS: '50',
    CONSUMER_MAX_ATTEMPTS: '3',
    ...options.env,
  });
  const config = loadConfig(definition.name, definition.config, env);
  const app = await createHttpApplication(definition, config);
  // As `runService` serves: the event transport (consumer) first, then HTTP.
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const dataSource = await new DataSource(
    dataSourceOptions(db.service(service).url, {
      schema: definition.database.schema,
      migrations: [],
      applicationName: `${options.label}-assertions`,
      poolSize: 3,
    }),
  ).initialize();
  await waitFor(
    `${definition.name} ready`,
    () => http(`${url}/health/ready`),
    (response) => response.status === 200,
    60_000,
  );

  const kafka = new Kafka({
    clientId: `${options.label}-publisher`,
    brokers: kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();

  const readRecords: ServiceApp['readRecords'] = (topic, until, readOptions) =>
    readTopics([`${prefix}${topic}`], until, readOptions);
  return {
    app,
    url,
    prefix,
    db,
    dataSource,
    async publish(...messages) {
      for (const message of messages) {
        await producer.send({
          topic: `${prefix}${message.topic}`,
          acks: -1,
          messages: [{ key: message.key, value: message.value, headers: { ...message.headers } }],
        });
      }
      return messages;
    },
    async readEvents(topic, until, readOptions) {
      const decode = (records: readonly ReceivedRecord[]): AnyCareEvent[] =>
        records.map((r) =>
          decodeEvent({ key: r.key, value: Buffer.from(r.value), headers: r.headers }, { topic }),
        );
      return decode(await readRecords(topic, (records) => until(decode(records)), readOptions));
    },
    readRecords,
    async close() {
      await producer.disconnect();
      await app.close();
      await dataSource.destroy();
      await db.drop();
      await deleteTopics(topics).catch(() => undefined);
    },
  };
}
