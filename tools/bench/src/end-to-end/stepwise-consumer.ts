/**
 * The consuming service of the Stepwise path, as a process of its own: the library's EventConsumer (inbox,
 * contract validation, offsets committed after the effect) on KafkajsSubscriber, with a handler that inserts
 * the effect row in the inbox transaction; the services' defaults (CONSUMER_CONCURRENCY from the parent,
 * CONSUMER_MAX_ATTEMPTS, metrics). Prints READY once running; stops gracefully on SIGTERM.
 */
import {
  EventConsumer,
  KafkajsProducer,
  KafkajsSubscriber,
  Outbox,
  consumerMetrics,
} from '@stepwise/messaging';
import { MetricsService } from '@stepwise/platform';
import { DataSource } from 'typeorm';
import {
  INSERT_EFFECT,
  SCHEMA,
  benchDataSourceOptions,
  requiredEnv,
  runConsumerProcess,
  say,
  wallNow,
} from './bench-tables';

async function start(): Promise<() => Promise<void>> {
  const brokers = requiredEnv('KAFKA_BROKERS').split(',');
  const dataSource = new DataSource(
    benchDataSourceOptions(
      requiredEnv('DATABASE_URL'),
      'bench-stepwise-consumer',
      Number(requiredEnv('POOL_SIZE')),
    ),
  );
  await dataSource.initialize();
  const deadLetters = new KafkajsProducer({ clientId: 'bench-stepwise-dlq', brokers });
  const consumer = new EventConsumer(
    {
      name: 'bench',
      schema: SCHEMA,
      deadLetterTopic: requiredEnv('DEAD_LETTER_TOPIC'),
      maxAttempts: 5, // CONSUMER_MAX_ATTEMPTS's default
      topicPrefix: requiredEnv('TOPIC_PREFIX'),
    },
    new KafkajsSubscriber({
      clientId: 'bench-stepwise-consumer',
      brokers,
      groupId: requiredEnv('GROUP_ID'),
      topics: [requiredEnv('TOPIC')],
      concurrency: Number(requiredEnv('CONCURRENCY')),
    }),
    dataSource,
    new Outbox(SCHEMA),
    deadLetters,
    {
      SessionAttended: async (event, tx) => {
        await tx.manager.query(INSERT_EFFECT, ['stepwise', event.id, event.data.attendanceId, wallNow()]);
      },
    },
    { info: () => undefined, warn: (m) => say(`WARN ${m}`), error: (m) => say(`ERROR ${m}`) },
    // The services' Prometheus observer, as they run it.
    consumerMetrics(new MetricsService('bench'), 'bench'),
  );
  await consumer.start();
  return async () => {
    await consumer.stop();
    await deadLetters.close();
    await dataSource.destroy();
  };
}

runConsumerProcess(start);
