import { randomUUID } from 'node:crypto';
import { Kafka, type KafkaMessage, logLevel } from 'kafkajs';
import { type KafkaClientSecurity, LocalKafkaBroker, type SaslSslOptions } from '@stepwise/infra';
import { kafkaBrokers } from '../infra/infra-env';
import { freePort } from '../service/service-process';
import { waitFor } from '../infra/wait-for';

/** A topic prefix of a test file's own, so its records never mix with another test's. */
export function testTopicPrefix(label: string): string {
  return `test.${label}.${randomUUID().slice(0, 8)}.`;
}

export async function createTopics(
  topics: readonly string[],
  options: { partitions?: number; brokers?: string[]; security?: KafkaClientSecurity } = {},
): Promise<void> {
  const admin = new Kafka({
    // A SASL_SSL broker of the test's own: its super user (`LocalKafkaBroker.superUserConnection()`).
    ...options.security,
    clientId: 'test-admin',
    brokers: options.brokers ?? kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((topic) => ({
        topic,
        numPartitions: options.partitions ?? 6,
        replicationFactor: 1,
      })),
    });
  } finally {
    await admin.disconnect();
  }
}

export async function deleteTopics(
  topics: readonly string[],
  brokers: string[] = kafkaBrokers(),
): Promise<void> {
  const admin = new Kafka({ clientId: 'test-admin', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: [...topics] });
  } finally {
    await admin.disconnect();
  }
}

/** A record as a subscriber sees it. */
export interface ReceivedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string;
  readonly value: string;
  readonly headers: Record<string, string>;
}

function toReceived(topic: string, partition: number, message: KafkaMessage): ReceivedRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? String(value[0]) : String(value);
  }
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? '',
    value: message.value?.toString() ?? '',
    headers,
  };
}

/**
 * Reads `topics` from the beginning with a consumer group of its own, until `until(records)` holds (or the
 * timeout fails the test), and returns the records in the order they were consumed (per partition: the
 * order in the log).
 */
export async function readTopics(
  topics: readonly string[],
  until: (records: readonly ReceivedRecord[]) => boolean,
  options: { brokers?: string[]; timeoutMs?: number } = {},
): Promise<ReceivedRecord[]> {
  const kafka = new Kafka({
    clientId: 'test-reader',
    brokers: options.brokers ?? kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: `test-reader-${randomUUID()}`, allowAutoTopicCreation: false });
  const records: ReceivedRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await consumer.run({
      eachMessage: ({ topic, partition, message }) => {
        records.push(toReceived(topic, partition, message));
        return Promise.resolve();
      },
    });
    await waitFor(
      `records on ${topics.join(', ')}`,
      () => Promise.resolve(records.length),
      () => until(records),
      options.timeoutMs ?? 60_000,
    );
    return records;
  } finally {
    await consumer.disconnect();
  }
}

/**
 * A broker of the test's own (same jars, other ports and data directory), for tests that stop or kill it
 * without disturbing the shared one, or that need it secured (`saslSsl`: TLS, SCRAM users, ACLs).
 */
export async function startOwnKafka(
  label: string,
  options: { readonly saslSsl?: SaslSslOptions } = {},
): Promise<LocalKafkaBroker> {
  const broker = new LocalKafkaBroker({
    name: `kafka-test-${label}-${process.pid}`,
    port: await freePort(),
    controllerPort: await freePort(),
    heap: '384m',
    ...options,
  });
  try {
    await broker.ensureRunning();
  } catch (error) {
    // A broker that started but never answered would outlive the test run.
    await broker.stop();
    throw error;
  }
  return broker;
}
