/** One record as fetched from the broker, before anything is decoded. */
export interface IncomingRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, Buffer | string | undefined>>;
}

export interface PartitionBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly IncomingRecord[];
  /** How far behind the end of the partition this batch's last record is. */
  readonly lag: number;
}

export interface BatchContext {
  /** False once the subscriber is stopping or the partition was revoked: finish the record, commit, return. */
  isRunning(): boolean;
  /** Keeps the group membership alive during long work. */
  heartbeat(): Promise<void>;
  /** Marks a record as processed: this member's next fetch starts after it (nothing is committed yet). */
  processed(record: IncomingRecord): void;
  /** Commits `offset + 1` of a processed record: the position the group resumes from after a restart. */
  commit(record: IncomingRecord): Promise<void>;
}

/**
 * The project's view of a consumer-group subscription. Batches of one partition are handed over one at a time,
 * in log order; batches of different partitions may run concurrently.
 */
export interface BrokerSubscriber {
  run(onBatch: (batch: PartitionBatch, context: BatchContext) => Promise<void>): Promise<void>;
  /** True while this member holds a place in its consumer group (joined, not crashed or stopped). */
  isMember(): boolean;
  /** Stops fetching new batches (batches in flight go on, and can still commit). */
  pause(): void;
  /** Leaves the group and disconnects; commits are no longer possible. */
  stop(): Promise<void>;
}
