import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

/**
 * Writes one record no consumer can accept onto a care topic, as a faulty or hostile producer would: valid JSON
 * whose CloudEvents headers name an event type the contract does not have. Every consumer of the topic must
 * dead-letter it (reason `contract-violation`) and move on. Returns the record's key.
 */
export async function sendPoisonRecord(brokers: readonly string[], topic: string): Promise<string> {
  const kafka = new Kafka({ clientId: 'stepwise-poison', brokers: [...brokers], logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const key = randomUUID();
  try {
    await producer.send({
      topic,
      messages: [
        {
          key,
          value: JSON.stringify({ clientId: key }),
          headers: { ce_id: randomUUID(), ce_type: 'care.intake.ClientTeleported.v1', ce_subject: key },
        },
      ],
    });
  } finally {
    await producer.disconnect();
  }
  return key;
}
