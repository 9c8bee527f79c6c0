import { type INestApplicationContext, Logger } from '@nestjs/common';
import { deadLetterTopic } from '@stepwise/contracts';
import { type ServiceCommand, ServiceConfig } from '@stepwise/platform';
import { BROKER_ADMIN, type BrokerAdmin, brokerConnection } from '../broker/broker';
import { KafkajsSubscriber } from '../kafkajs/kafkajs-subscriber';
import { replayDeadLetters } from './dead-letter-replay';
import { EventTransport } from './event-transport';

/**
 * `main.js replay-dead-letters`: once the cause of dead letters is fixed (a handler bug deployed, a missing
 * reference record now present), feeds the service's dead-letter topic back through its consumer. Safe to run
 * while the service runs and to run again: the inbox skips what was already applied. Exit code 0 when every
 * replayed record was applied or skipped, 1 when some were dead-lettered again.
 */
export const replayDeadLettersCommand: ServiceCommand = {
  description: 'Feed dead-lettered events back through the consumer (idempotent)',
  async run(app: INestApplicationContext): Promise<number> {
    const logger = new Logger('DeadLetterReplay');
    let consumers: EventTransport | undefined;
    try {
      consumers = app.get(EventTransport, { strict: false });
    } catch {
      consumers = undefined;
    }
    if (consumers === undefined || Object.keys(consumers.handlers()).length === 0) {
      logger.error('This service consumes no events, so it has no dead letters to replay');
      return 64; // EX_USAGE
    }
    const config = app.get(ServiceConfig, { strict: false });
    await consumers.whenDatabaseReady();
    const topic = `${config.KAFKA_TOPIC_PREFIX}${deadLetterTopic(consumers.service)}`;
    const groupId = consumers.groupId('dlq-replay');
    const summary = await replayDeadLetters(
      consumers.build(),
      app.get<BrokerAdmin>(BROKER_ADMIN, { strict: false }),
      new KafkajsSubscriber({
        ...brokerConnection(config, `stepwise-${consumers.service}-dlq-replay`),
        groupId,
        topics: [topic],
        concurrency: 1,
      }),
      { topic, groupId },
    );
    const outcomes = Object.entries(summary.outcomes)
      .map(([outcome, count]) => `${outcome} ${count}`)
      .join(', ');
    logger.log(`Replayed ${summary.replayed} dead letter(s) from ${topic}${outcomes ? `: ${outcomes}` : ''}`);
    return (summary.outcomes['dead-lettered'] ?? 0) > 0 ? 1 : 0;
  },
};
