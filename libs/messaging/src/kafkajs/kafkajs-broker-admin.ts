import { type Admin } from 'kafkajs';
import { type BrokerAdmin, type BrokerConnectionOptions, type PartitionOffsets } from '../broker/broker';
import { kafkajsClient } from './kafkajs-client';

/**
 * kafkajs admin used for readiness. A failed request drops the client so the next ping starts from a clean
 * connection rather than one kafkajs may still be retrying in the background.
 */
export class KafkajsBrokerAdmin implements BrokerAdmin {
  private admin: Admin | undefined;

  constructor(private readonly options: BrokerConnectionOptions) {}

  private client(): Admin {
    // Readiness reports outages itself: no retries, short timeouts.
    this.admin ??= kafkajsClient(
      { ...this.options, clientId: `${this.options.clientId}-admin` },
      { connectionTimeout: 1_500, requestTimeout: 2_000, retry: { retries: 0 } },
    ).admin();
    return this.admin;
  }

  async ping(): Promise<void> {
    const admin = this.client();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length === 0) throw new Error('the cluster reports no brokers');
    } catch (error) {
      this.admin = undefined;
      await admin.disconnect().catch(() => undefined);
      throw new Error(`Kafka unreachable at ${this.options.brokers.join(',')}: ${(error as Error).message}`);
    }
  }

  async partitionOffsets(topic: string): Promise<PartitionOffsets[]> {
    const admin = this.client();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.map((o) => ({ partition: o.partition, low: BigInt(o.low), high: BigInt(o.high) }));
  }

  async committedOffsets(groupId: string, topic: string): Promise<Map<number, bigint>> {
    const admin = this.client();
    await admin.connect();
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const result = new Map<number, bigint>();
    // kafkajs reports "-1" for a partition the group never committed.
    for (const p of committed?.partitions ?? [])
      if (p.offset !== '-1') result.set(p.partition, BigInt(p.offset));
    return result;
  }

  async close(): Promise<void> {
    await this.admin?.disconnect();
    this.admin = undefined;
  }
}
