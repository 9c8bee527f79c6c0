import {
  type EncodeOptions,
  type EncodedMessage,
  type EventPayload,
  type EventTypeName,
} from '@stepwise/contracts';
import { SPAN_ATTRIBUTES, inSpan } from '@stepwise/platform';
import {
  type DataSource,
  type EntityManager,
  type EntityTarget,
  type FindOptionsWhere,
  type ObjectLiteral,
} from 'typeorm';
import { type StatementBeforeLocks, keyLockSql, lockKeys } from './key-lock';
import { type ChangeStatement, type Outbox, type PendingEvent, type StatementResult } from './outbox';
import { type OutboxWakeUp, POLL_ONLY } from './outbox-wake-up';

/**
 * What a use case does inside one transaction: lock the aggregate it changes, change state through
 * `manager`, publish the facts. Everything commits together or not at all.
 */
export class Transaction {
  private outboxWritten = false;
  private readonly onCommit: (() => void)[] = [];

  constructor(
    readonly manager: EntityManager,
    private readonly outbox: Outbox,
  ) {}

  /** Whether this transaction wrote outbox rows: whoever commits it then wakes the relay. */
  get wroteOutbox(): boolean {
    return this.outboxWritten;
  }

  /**
   * Runs `effect` once this transaction has committed: never for one that rolled back, nor for an attempt
   * Postgres aborted and the unit of work ran again. For what must count a committed fact exactly once and
   * cannot join the transaction, such as a metric's counter. Effects are synchronous and must not throw.
   */
  afterCommit(effect: () => void): void {
    this.onCommit.push(effect);
  }

  /** Called by whoever committed the transaction (the unit of work, the consumer), once. */
  committed(): void {
    for (const effect of this.onCommit.splice(0)) effect();
  }

  /**
   * Loads the aggregate row with `SELECT … FOR UPDATE`: concurrent use cases on the same client run one after
   * the other, so none overwrites another's change or interleaves its events.
   */
  lock<E extends ObjectLiteral>(entity: EntityTarget<E>, id: string): Promise<E | null> {
    // Every aggregate table keys on `id`; TypeORM cannot know that of a generic entity.
    const where = { id } as unknown as FindOptionsWhere<E>;
    return this.manager.findOne(entity, { where, lock: { mode: 'pessimistic_write' } });
  }

  /** Serialises on a key that has no row yet (a client being created): same guarantee as `lock`. */
  async lockKey(key: string): Promise<void> {
    await this.manager.query(`SELECT ${keyLockSql('$1')}`, [key]);
  }

  /**
   * `lockKey` for many keys in one statement, taken in sorted order (so two such calls cannot deadlock);
   * `before` is a statement made first in the same round trip, done before any of the keys is waited for.
   */
  lockKeys(keys: Iterable<string>, before?: StatementBeforeLocks): Promise<void> {
    return lockKeys(this.manager, keys, before);
  }

  /** Appends an event to the outbox; it is published after (and only if) the transaction commits. */
  publish<T extends EventTypeName>(
    type: T,
    payload: EventPayload<T>,
    options?: EncodeOptions,
  ): Promise<EncodedMessage> {
    this.outboxWritten = true;
    return this.outbox.append(this.manager, type, payload, options);
  }

  /**
   * Makes `change` (one `INSERT`, `UPDATE` or `DELETE … RETURNING`) and `alongside` statements and appends
   * `event` in one statement of this transaction: one round trip where `manager.query` for each and `publish`
   * take one each. The event is appended only if the change returned a row (`changed`).
   */
  async publishWithChange(
    change: ChangeStatement,
    event: PendingEvent,
    alongside: readonly ChangeStatement[] = [],
  ): Promise<StatementResult> {
    const result = await this.outbox.appendWithChange(this.manager, change, event, alongside);
    if (result.changed) this.outboxWritten = true;
    return result;
  }

  /**
   * `publish` for many events at once (a horizon of thousands of appointments would otherwise cost a round
   * trip each), with the same guarantees; each key's events are published in the list's order. An empty list
   * writes nothing, so it does not wake the relay either.
   */
  publishAll(events: readonly PendingEvent[]): Promise<EncodedMessage[]> {
    if (events.length > 0) this.outboxWritten = true;
    return this.outbox.appendAll(this.manager, events);
  }
}

/** Postgres asks for the transaction to be run again: a deadlock victim, or a serialization failure. */
export function isRetryableConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

export interface UnitOfWorkOptions {
  /** Runs of one use case when Postgres aborts it as a deadlock victim or for serialization (default 3). */
  readonly maxAttempts?: number;
  /** Called before each rerun, for a metric. */
  readonly onRetry?: (code: string) => void;
}

/**
 * Runs use cases as transactions with an outbox. After a transaction that published events commits, it wakes
 * the relay (`OutboxWakeUp`; without one, the relay's poll finds the rows). The use case's result never waits
 * for, or fails with, the wake-up.
 *
 * A transaction Postgres aborted as a deadlock victim (40P01) or for serialization (40001) changed nothing,
 * and Postgres's own advice is to run it again: the use case runs once more in a new transaction (after a
 * short random pause, so the two contenders do not meet again) instead of failing the request with a 500.
 * Use cases therefore keep side effects outside the database idempotent (timers by id) or after the commit.
 */
export class UnitOfWork {
  private readonly maxAttempts: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly wakeUp: OutboxWakeUp = POLL_ONLY,
    private readonly options: UnitOfWorkOptions = {},
  ) {
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  }

  async run<R>(work: (tx: Transaction) => Promise<R>): Promise<R> {
    return this.withRetries('use case transaction', () => this.runOnce(work));
  }

  /**
   * The hot path of a use case whose whole change is one statement and one event (recording a fact, say):
   * both go to Postgres as one autocommitted statement (`Outbox.appendWithChange`) — one round trip where
   * `run` takes four (BEGIN, the change, the append, COMMIT), with the same guarantees: all or nothing,
   * per-key order, a deadlock victim run again. The event is written only if the change returned a row.
   * Use `run` for anything that reads before it writes, or writes more than one statement.
   */
  async runStatement(change: ChangeStatement, event: PendingEvent): Promise<StatementResult> {
    const result = await this.withRetries('use case statement', () =>
      this.outbox.appendWithChange(this.dataSource.manager, change, event),
    );
    if (result.changed) this.wakeUp.committed();
    return result;
  }

  private async withRetries<R>(span: string, once: () => Promise<R>): Promise<R> {
    for (let attempt = 1; ; attempt++) {
      try {
        // The use case's span (under the HTTP handler's): its queries, and the outbox appends whose trace
        // context the relay and the consumers continue.
        return await inSpan(span, { attributes: { [SPAN_ATTRIBUTES.attempt]: attempt } }, once);
      } catch (error) {
        if (attempt >= this.maxAttempts || !isRetryableConflict(error)) throw error;
        this.options.onRetry?.(String((error as { code: string }).code));
        await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40 * attempt));
      }
    }
  }

  private async runOnce<R>(work: (tx: Transaction) => Promise<R>): Promise<R> {
    const [result, tx] = await this.dataSource.transaction(async (manager) => {
      const tx = new Transaction(manager, this.outbox);
      return [await work(tx), tx] as const;
    });
    if (tx.wroteOutbox) this.wakeUp.committed();
    tx.committed();
    return result;
  }
}
