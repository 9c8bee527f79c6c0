/**
 * A relay as a process of its own, for tests that kill relays: the same OutboxRelay and producer the
 * services run, configured from the environment. With PAUSE_AFTER_SEND=1 it prints `SENT <n>` after the
 * broker acknowledged a batch and waits before marking it, so a test can kill it exactly between the two.
 * Not part of the library's public entry. Run with:
 *   tsx --tsconfig tsconfig.scripts.json libs/messaging/src/relay/relay-runner.ts
 */
import { hostname } from 'node:os';
import { KafkajsProducer } from '../kafkajs/kafkajs-producer';
import { OutboxRelay } from './outbox-relay';

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
};

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

const holderId = env('HOLDER_ID', `${hostname()}-${process.pid}`);
const producer = new KafkajsProducer({
  clientId: `relay-runner-${holderId}`,
  brokers: env('KAFKA_BROKERS').split(','),
});
const relay = new OutboxRelay(
  {
    connectionString: env('DATABASE_URL'),
    schema: env('SCHEMA'),
    holderId,
    batchSize: Number(env('BATCH_SIZE', '100')),
    pollIntervalMs: 50,
    leaseRetryMs: Number(env('LEASE_RETRY_MS', '200')),
    retentionMs: 3_600_000,
    topicPrefix: env('TOPIC_PREFIX', ''),
  },
  producer,
  { info: (m) => say(`INFO ${m}`), warn: (m) => say(`WARN ${m}`), error: (m) => say(`ERROR ${m}`) },
  { leaseChanged: (holding) => say(holding ? `LEADER ${holderId}` : `STANDBY ${holderId}`) },
  process.env['PAUSE_AFTER_SEND'] === '1'
    ? {
        afterSend: async (ids) => {
          say(`SENT ${ids.length}`);
          await new Promise((resolve) => setTimeout(resolve, 60_000));
        },
      }
    : {},
);

relay.start();
say(`STARTED ${holderId}`);
const stop = (): void => {
  relay
    .stop()
    .then(() => producer.close())
    .then(
      () => process.exit(0),
      () => process.exit(1),
    );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
