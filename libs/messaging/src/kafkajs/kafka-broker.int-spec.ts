import { randomUUID } from 'node:crypto';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { droppingPort, kafkaBrokers, waitFor } from '@stepwise/testing';
import { KafkajsBrokerAdmin } from './kafkajs-broker-admin';

describe('the real Kafka broker', () => {
  const kafka = new Kafka({
    clientId: 'messaging-int-spec',
    brokers: kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  const topic = `test.broker-roundtrip.${randomUUID()}`;

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
    });
  });
  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  });

  it('delivers produced messages to a consumer group with their keys, headers and per-key order', async () => {
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const sent = Array.from({ length: 30 }, (_, i) => ({
      key: `client-${i % 3}`,
      value: JSON.stringify({ seq: i }),
      headers: { ce_id: `event-${i}` },
    }));
    await producer.send({ topic, acks: -1, messages: sent });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: `test-${randomUUID()}` });
    const received: { key: string; seq: number; ceId: string }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push({
          key: message.key?.toString() ?? '',
          seq: (JSON.parse(message.value?.toString() ?? '{}') as { seq: number }).seq,
          ceId: message.headers?.['ce_id']?.toString() ?? '',
        });
      },
    });
    try {
      await waitFor(
        'all 30 messages',
        () => Promise.resolve(received.length),
        (n) => n >= 30,
      );
    } finally {
      await consumer.disconnect();
    }

    expect(received).toHaveLength(30);
    expect(new Set(received.map((r) => r.ceId)).size).toBe(30);
    for (const key of ['client-0', 'client-1', 'client-2']) {
      const order = received.filter((r) => r.key === key).map((r) => r.seq);
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(order).toHaveLength(10);
    }
  });

  it('answers the readiness ping when the broker is up, and rejects it when nothing listens', async () => {
    const up = new KafkajsBrokerAdmin({ clientId: 'ping-test', brokers: kafkaBrokers() });
    await expect(up.ping()).resolves.toBeUndefined();
    await up.close();

    const nothing = await droppingPort();
    const down = new KafkajsBrokerAdmin({ clientId: 'ping-test', brokers: [`127.0.0.1:${nothing.port}`] });
    await expect(down.ping()).rejects.toThrow(/Kafka unreachable/);
    await down.close();
    await nothing.close();
  });
});
