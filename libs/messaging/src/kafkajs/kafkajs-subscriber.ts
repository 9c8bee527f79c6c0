import { type Consumer } from 'kafkajs';
import { type BrokerConnectionOptions } from '../broker/broker';
import { type BatchContext, type BrokerSubscriber, type PartitionBatch } from '../broker/subscriber';
import { kafkajsClient } from './kafkajs-client';

export interface KafkajsSubscriberOptions extends BrokerConnectionOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Partitions processed at the same time by this member. */
  readonly concurrency: number;
  /** Where a group without committed offsets starts: the beginning, so a new consumer sees all history. */
  readonly fromBeginning?: boolean;
  readonly sessionTimeoutMs?: number;
}

/**
 * kafkajs consumer with manual commits: nothing is committed that the caller did not commit, and offsets
 * are committed as `offset + 1` (the next record to read). Note: kafkajs silently drops commits once its
 * `stop()` has begun, so callers finish and commit their batches before calling `stop` (see EventConsumer).
 */
export class KafkajsSubscriber implements BrokerSubscriber {
  private readonly consumer: Consumer;
  private member = false;
  private stopping = false;
  private runConfig: Parameters<Consumer['run']>[0];

  constructor(private readonly options: KafkajsSubscriberOptions) {
    this.consumer = kafkajsClient(options, {
      connectionTimeout: 3_000,
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 5_000 },
    }).consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: 3_000,
      allowAutoTopicCreation: false,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 5_000 },
    });
    // Membership for readiness: joined once the group assigned partitions; lost on crash, stop or disconnect
    // (kafkajs rejoins on its own after a crash, and GROUP_JOIN fires again).
    const { GROUP_JOIN, CRASH, STOP, DISCONNECT } = this.consumer.events;
    this.consumer.on(GROUP_JOIN, () => (this.member = true));
    for (const event of [CRASH, STOP, DISCONNECT]) this.consumer.on(event, () => (this.member = false));
    // kafkajs restarts itself only after a retriable error. After a broker restart the coordinator may have
    // forgotten this member, and kafkajs can surface that UNKNOWN_MEMBER_ID wrapped as a non-retriable error:
    // it then disconnects for good, and the replica would stay unready and consume nothing until restarted
    // (seen in the fault run, docs/reliability.md). Such a crash starts the consumer again, which rejoins.
    this.consumer.on(CRASH, ({ payload }) => {
      if (!payload.restart) this.restartAfterCrash();
    });
  }

  /** Connects and runs again (retrying every 2 s while the broker is away) unless the subscriber is stopping. */
  private restartAfterCrash(): void {
    const config = this.runConfig;
    if (this.stopping || config === undefined) return;
    setTimeout(() => {
      if (this.stopping) return;
      this.consumer
        .connect()
        .then(() => this.consumer.run(config))
        .catch(() => this.restartAfterCrash());
    }, 2_000).unref();
  }

  isMember(): boolean {
    return this.member;
  }

  async run(onBatch: (batch: PartitionBatch, context: BatchContext) => Promise<void>): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: [...this.options.topics],
      fromBeginning: this.options.fromBeginning ?? true,
    });
    this.runConfig = {
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.concurrency,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
        await onBatch(
          {
            topic: batch.topic,
            partition: batch.partition,
            lag: Number(batch.offsetLag()),
            records: batch.messages.map((message) => ({
              topic: batch.topic,
              partition: batch.partition,
              offset: message.offset,
              key: message.key,
              value: message.value,
              headers: Object.fromEntries(
                Object.entries(message.headers ?? {}).map(([name, value]) => [
                  name,
                  Array.isArray(value) ? value[0] : value,
                ]),
              ),
            })),
          },
          {
            isRunning: () => isRunning() && !isStale(),
            heartbeat,
            // The fetch position follows resolved offsets, not committed ones: resolve each processed record.
            processed: (record) => resolveOffset(record.offset),
            commit: (record) =>
              this.consumer.commitOffsets([
                {
                  topic: record.topic,
                  partition: record.partition,
                  offset: (BigInt(record.offset) + 1n).toString(),
                },
              ]),
          },
        );
      },
    };
    await this.consumer.run(this.runConfig);
  }

  pause(): void {
    this.consumer.pause(this.options.topics.map((topic) => ({ topic })));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer.stop();
    await this.consumer.disconnect();
  }
}
