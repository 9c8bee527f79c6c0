import { untraced } from '@stepwise/platform';
import { CompressionTypes, type Kafka, KafkaJSNonRetriableError, Partitioners, type Producer } from 'kafkajs';
import { type BrokerConnectionOptions, type BrokerProducer, type OutgoingRecord } from '../broker/broker';
import { kafkajsClient } from './kafkajs-client';

/**
 * kafkajs producer: idempotent (the broker drops retried duplicates within a producer session), acks from
 * all in-sync replicas, one request in flight so retries cannot reorder a partition.
 *
 * After a failed send the producer is discarded and the next send creates a fresh one: a kafkajs producer
 * that hit a fatal error (fenced, out-of-order sequence, a crashed connection pool) does not recover by
 * itself, and a new producer id costs nothing but possible duplicates, which consumers already absorb.
 */
export class KafkajsProducer implements BrokerProducer {
  private producer: Producer | undefined;
  private connecting: Promise<Producer> | undefined;
  private readonly kafka: Kafka;

  constructor(options: BrokerConnectionOptions & { readonly requestTimeoutMs?: number }) {
    this.kafka = kafkajsClient(options, {
      connectionTimeout: 3_000,
      requestTimeout: options.requestTimeoutMs ?? 10_000,
      // The caller (the relay) owns retries with its own backoff; kafkajs retries only briefly.
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 },
    });
  }

  private async connected(): Promise<Producer> {
    if (this.producer !== undefined) return this.producer;
    this.connecting ??= (async () => {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        // murmur2 on the key, as Java clients do: a client's events land on the same partition whichever
        // client library publishes them.
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      try {
        await producer.connect();
        this.producer = producer;
        return producer;
      } finally {
        this.connecting = undefined;
      }
    })();
    return this.connecting;
  }

  async send(records: readonly OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    const byTopic = new Map<string, OutgoingRecord[]>();
    for (const record of records) {
      const list = byTopic.get(record.topic) ?? [];
      list.push(record);
      byTopic.set(record.topic, list);
    }
    const producer = await this.connected();
    try {
      // Untraced by the kafkajs instrumentation: it would start every record's span from whatever context is
      // active here and overwrite the record's `traceparent` with it, putting a batch of many requests' events
      // into one trace. The relay traces each record itself, in its own request's trace (OutboxRelay.send).
      await untraced(() =>
        producer.sendBatch({
          acks: -1,
          compression: CompressionTypes.None,
          topicMessages: [...byTopic].map(([topic, list]) => ({
            topic,
            messages: list.map((r) => ({ key: r.key, value: r.value, headers: { ...r.headers } })),
          })),
        }),
      );
    } catch (error) {
      await this.discard();
      throw error instanceof KafkaJSNonRetriableError && error.cause instanceof Error ? error.cause : error;
    }
  }

  private async discard(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => undefined);
  }

  close(): Promise<void> {
    return this.discard();
  }
}
