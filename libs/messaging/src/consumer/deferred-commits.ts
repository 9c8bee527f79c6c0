import { type IncomingRecord } from '../broker/subscriber';

type Commit = (record: IncomingRecord) => Promise<void>;

interface Noted {
  readonly record: IncomingRecord;
  readonly commit: Commit;
}

/**
 * Offset commits taken off the batch's path. The broker client fetches a partition's next records only after
 * the batch handler returns, so a handler that waits for the group coordinator to acknowledge each commit
 * adds that round trip to every event's latency. What makes a redelivery harmless is the inbox (an event
 * already applied is skipped), not the offset: an offset committed a little later only means that, after a
 * crash, a few more records come back and are skipped. So processed records are noted here, and the newest of
 * each partition is committed within `delayMs`, one commit exchange at a time, in the order they were noted.
 * `flush` commits everything noted so far and waits for it: on revocation and on stop, so the next owner of a
 * partition starts after what this member applied.
 */
export class DeferredCommits {
  private readonly noted = new Map<string, Noted>();
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly delayMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** A processed record: its `offset + 1` is committed within `delayMs` (or with a later record of its partition). */
  note(record: IncomingRecord, commit: Commit): void {
    this.noted.set(`${record.topic}\u0000${String(record.partition)}`, { record, commit });
    this.schedule();
  }

  /** Commits every noted offset, after any commit already in flight; rejects when one of them failed. */
  flush(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const done = this.chain.then(() => this.commitNoted());
    this.chain = done.catch(() => undefined);
    return done;
  }

  /** Offsets noted and not yet committed, by partition (for the tests and the consumer's stop). */
  get pending(): number {
    return this.noted.size;
  }

  private async commitNoted(): Promise<void> {
    const batch = [...this.noted.entries()];
    this.noted.clear();
    const results = await Promise.allSettled(batch.map(([, { record, commit }]) => commit(record)));
    let failure: unknown;
    results.forEach((result, index) => {
      if (result.status === 'fulfilled') return;
      failure ??= result.reason;
      // Noted again unless a later record of the partition was noted meanwhile; tried at the next flush.
      const [key, entry] = batch[index] as [string, Noted];
      if (!this.noted.has(key)) this.noted.set(key, entry);
    });
    if (failure !== undefined) {
      this.schedule();
      throw failure;
    }
  }

  private schedule(): void {
    // Unreferenced: a process never stays up for a commit; the consumer's stop flushes before it leaves.
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush().catch(this.onError);
    }, this.delayMs).unref();
  }
}
