/**
 * An EventConsumer as a process of its own, for tests that kill or stop consumers: the same consumer, inbox
 * and subscriber the services run. Its handler records each SessionAttended in `effects` (no unique key, so
 * a duplicate application would show). Prints `READY`, `APPLIED <id>`, `DUPLICATE <id>` and `STOPPED`.
 * Not part of the library's public entry. Run with: node --import tsx consumer-runner.ts
 */
import { dataSourceOptions } from '@stepwise/platform';
import { DataSource } from 'typeorm';
import { KafkajsProducer } from '../kafkajs/kafkajs-producer';
import { KafkajsSubscriber } from '../kafkajs/kafkajs-subscriber';
import { Outbox } from '../outbox/outbox';
import { EventConsumer } from './event-consumer';

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
};
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function main(): Promise<void> {
  const schema = env('SCHEMA');
  const prefix = env('TOPIC_PREFIX', '');
  const brokers = env('KAFKA_BROKERS').split(',');
  const delay = Number(env('HANDLER_DELAY_MS', '0'));
  const dataSource = new DataSource(
    dataSourceOptions(env('DATABASE_URL'), {
      schema,
      migrations: [],
      applicationName: 'consumer-runner',
      poolSize: 4,
    }),
  );
  await dataSource.initialize();
  const deadLetters = new KafkajsProducer({ clientId: 'consumer-runner-dlq', brokers });
  const consumer = new EventConsumer(
    {
      name: env('CONSUMER_NAME', 'runner'),
      schema,
      deadLetterTopic: env('DEAD_LETTER_TOPIC'),
      maxAttempts: 3,
      topicPrefix: prefix,
      inbox: env('INBOX', 'on') === 'on',
    },
    new KafkajsSubscriber({
      clientId: 'consumer-runner',
      brokers,
      groupId: env('GROUP_ID'),
      topics: env('TOPICS').split(','),
      concurrency: 3,
      // Tests kill members with SIGKILL; the group waits this long before giving their partitions away.
      sessionTimeoutMs: Number(env('SESSION_TIMEOUT_MS', '30000')),
    }),
    dataSource,
    new Outbox(schema),
    deadLetters,
    {
      SessionAttended: async (event, tx) => {
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        await tx.manager.query(
          `INSERT INTO "${schema}".effects (event_id, client_id, revision) VALUES ($1, $2, $3)`,
          [event.id, event.data.clientId, event.data.revision],
        );
        say(`APPLIED ${event.id}`);
      },
    },
    { info: (m) => say(`INFO ${m}`), warn: (m) => say(`WARN ${m}`), error: (m) => say(`ERROR ${m}`) },
    { duplicate: () => say('DUPLICATE') },
  );
  const stop = (): void => {
    consumer
      .stop()
      .then(() => deadLetters.close())
      .then(() => dataSource.destroy())
      .then(
        () => {
          say('STOPPED');
          process.exit(0);
        },
        (error: unknown) => {
          say(`ERROR stopping: ${String(error)}`);
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', stop);
  await consumer.start();
  say('READY');
}

main().catch((error: unknown) => {
  say(`ERROR ${String(error)}`);
  process.exit(1);
});
