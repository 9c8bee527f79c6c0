import { Client } from 'pg';
import { outboxChannel } from './outbox-table';

/**
 * Tells the relay that outbox rows committed, so it publishes them now rather than at its next poll.
 * Called after the commit of a transaction that wrote outbox rows; never throws and never delays the caller.
 */
export interface OutboxWakeUp {
  committed(): void;
}

/** No wake-up: the relay finds the rows at its next poll (`RELAY_POLL_INTERVAL_MS`). */
export const POLL_ONLY: OutboxWakeUp = { committed: () => undefined };

export interface PgOutboxWakeUpOptions {
  /** Postgres URL of the service's application role. */
  readonly connectionString: string;
  readonly schema: string;
  /** Names the connection in `pg_stat_activity`. */
  readonly applicationName?: string;
}

export interface OutboxWakeUpObserver {
  /** A notification was sent (one per coalesced run of commits). */
  notified?(): void;
  /** A notification (or its connection) failed; the relay's poll picks the rows up instead. */
  failed?(error: unknown): void;
}

/**
 * Wakes the relay with `pg_notify` on the channel it `LISTEN`s on, from a connection of its own, after the
 * use case's transaction committed.
 *
 * Why not a trigger on the outbox: a transaction that notifies takes a database-wide lock at commit and holds
 * it until its commit record is flushed, so every writing transaction would queue behind the others'
 * flushes instead of sharing a group commit. Here the writing transaction does not notify at all; the
 * notification is a transaction of its own that commits with `synchronous_commit = off` (a lost wake-up costs
 * at most one poll interval, never an event), so it holds that lock only briefly and waits for no flush.
 *
 * Coalesced: at most one notification is in flight per process. Commits that arrive while one is in flight
 * schedule exactly one more, sent when it returns — the relay reads everything committed by then, so one
 * wake-up after the last commit is enough. Failures are swallowed (counted by the observer); the next commit
 * reconnects.
 */
export class PgOutboxWakeUp implements OutboxWakeUp {
  private client: Client | undefined;
  private inFlight = false;
  private again = false;
  private closed = false;
  private idle: Promise<void> = Promise.resolve();
  private settle: (() => void) | undefined;

  constructor(
    private readonly options: PgOutboxWakeUpOptions,
    private readonly observer: OutboxWakeUpObserver = {},
  ) {}

  committed(): void {
    if (this.closed) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    this.idle = new Promise((resolve) => (this.settle = resolve));
    void this.notifyUntilQuiet();
  }

  /** Resolves when no notification is in flight (tests, shutdown). */
  whenIdle(): Promise<void> {
    return this.idle;
  }

  /** Waits for the notification in flight, then closes the connection; later commits notify nothing. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async notifyUntilQuiet(): Promise<void> {
    do {
      this.again = false;
      await this.notify();
    } while (this.again && !this.closed);
    this.inFlight = false;
    this.settle?.();
  }

  private async notify(): Promise<void> {
    try {
      const client = await this.connection();
      await client.query('SELECT pg_notify($1, $2)', [outboxChannel(this.options.schema), '']);
      this.observer.notified?.();
    } catch (error) {
      this.observer.failed?.(error);
      this.discard();
    }
  }

  /** Notifications are sent one at a time, so there is never a second connection being opened. */
  private async connection(): Promise<Client> {
    if (this.client !== undefined) return this.client;
    const client = new Client({
      connectionString: this.options.connectionString,
      application_name: (this.options.applicationName ?? 'stepwise-outbox-wake-up').slice(0, 63),
      keepAlive: true,
      connectionTimeoutMillis: 5_000,
      // A hung notification must not hold back every later one.
      query_timeout: 5_000,
      // A notification is a hint, not data: its commit need not wait for the WAL flush (see above).
      options: '-c synchronous_commit=off',
    });
    // A connection that breaks while idle is replaced at the next commit.
    client.on('error', () => {
      if (this.client === client) this.discard();
    });
    try {
      await client.connect();
    } catch (error) {
      void client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    return client;
  }

  /** Not awaited: ending a broken connection can take as long as the network lets it. */
  private discard(): void {
    const client = this.client;
    this.client = undefined;
    void client?.end().catch(() => undefined);
  }
}

/** The part of `OutboxRelay` that `preferLocalRelay` needs. */
export interface LocalRelay extends OutboxWakeUp {
  readonly isLeader: boolean;
}

/**
 * Wakes the relay of this very process directly while it holds the lease — no `pg_notify` round trip and no
 * notification delivery between the commit and the relay's read — and through `elsewhere` (the relay of
 * another replica, woken by NOTIFY) otherwise. Only the lease holder publishes, so when it is local no
 * other relay needs waking; a lease lost at that moment costs the new holder nothing, as its first drain
 * starts from the oldest unpublished row.
 */
export function preferLocalRelay(relay: LocalRelay, elsewhere: OutboxWakeUp): OutboxWakeUp {
  return {
    committed: () => {
      if (relay.isLeader) relay.committed();
      else elsewhere.committed();
    },
  };
}
