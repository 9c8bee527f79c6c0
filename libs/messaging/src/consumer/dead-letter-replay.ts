import { type BrokerAdmin } from '../broker/broker';
import { type BrokerSubscriber, type IncomingRecord } from '../broker/subscriber';
import { type RecordOutcome } from './event-consumer';

/** What a replay run did: how many dead letters it fed back and what became of them. */
export interface ReplaySummary {
  readonly replayed: number;
  readonly outcomes: Readonly<Partial<Record<RecordOutcome, number>>>;
}

export interface ReplayTarget {
  replay(deadLetter: IncomingRecord): Promise<RecordOutcome>;
}

/**
 * Feeds the dead letters present when the run starts back through the consumer, once, and returns.
 *
 * Progress is the replay group's committed offsets on the dead-letter topic, so a second run (or a run after
 * a crash) continues where the last one stopped instead of replaying everything again — and replaying twice
 * would be harmless anyway, because the consumer's inbox skips events already applied. Records dead-lettered
 * again during the run land after the end captured at the start and wait for the next run, so a record that
 * still fails cannot loop.
 */
export async function replayDeadLetters(
  target: ReplayTarget,
  admin: BrokerAdmin,
  subscriber: BrokerSubscriber,
  options: { readonly topic: string; readonly groupId: string },
): Promise<ReplaySummary> {
  const [ends, committed] = await Promise.all([
    admin.partitionOffsets(options.topic),
    admin.committedOffsets(options.groupId, options.topic),
  ]);
  const remaining = new Map<number, bigint>();
  for (const { partition, low, high } of ends) {
    const committedOffset = committed.get(partition);
    // Retention may have removed records past a committed offset.
    const from = committedOffset === undefined || committedOffset < low ? low : committedOffset;
    if (from < high) remaining.set(partition, high);
  }
  const outcomes: Partial<Record<RecordOutcome, number>> = {};
  let replayed = 0;
  if (remaining.size === 0) return { replayed, outcomes };

  let finish: () => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  await subscriber.run(async (batch, context) => {
    try {
      const end = remaining.get(batch.partition);
      if (end === undefined) return;
      for (const record of batch.records) {
        if (BigInt(record.offset) >= end) break;
        const outcome = await target.replay(record);
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        replayed += 1;
        context.processed(record);
        await context.commit(record);
        if (BigInt(record.offset) + 1n >= end) {
          remaining.delete(batch.partition);
          if (remaining.size === 0) finish();
          break;
        }
      }
    } catch (error) {
      fail(error);
    }
  });
  try {
    await done;
  } finally {
    await subscriber.stop();
  }
  return { replayed, outcomes };
}
