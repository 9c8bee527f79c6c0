import {
  type EncodeOptions,
  type EncodedMessage,
  type EventPayload,
  type EventTypeName,
  encodeEvent,
} from '@stepwise/contracts';
import { type ChangeStatement, Outbox, type PendingEvent, type StatementResult } from '../outbox/outbox';
import { Transaction, UnitOfWork } from '../outbox/unit-of-work';
import { type DataSource, type EntityManager } from 'typeorm';

// Test doubles of this library's transaction API, exported (as the contracts' example events are) so every
// service's use-case unit tests share one faithful fake instead of writing their own.

/**
 * The database handle use-case unit tests pass around: in-memory repositories ignore it, so any use of it
 * means a use case reached for SQL itself instead of its repository — and fails loudly, naming what it used.
 */
export const NO_DATABASE: EntityManager = new Proxy({} as EntityManager, {
  get: (_target, property) => {
    // Promise resolution probes `then`; answering it would make the handle look like a promise.
    if (property === 'then') return undefined;
    throw new Error(`A unit test reached the database (${String(property)}) instead of a repository`);
  },
});

/** An event a use case published, as the outbox would have received it. */
export interface PublishedEvent<T extends EventTypeName = EventTypeName> {
  readonly type: T;
  readonly payload: EventPayload<T>;
}

/**
 * A `Transaction` that records what is published and which keys were locked, instead of writing the outbox.
 * Each payload is encoded as the real outbox encodes it, so a payload the contract rejects fails the test.
 */
export class RecordingTransaction extends Transaction {
  constructor(
    readonly published: PublishedEvent[] = [],
    readonly locks: string[] = [],
  ) {
    super(NO_DATABASE, new Outbox('unit-test'));
  }

  override get wroteOutbox(): boolean {
    return this.published.length > 0;
  }

  override lockKey(key: string): Promise<void> {
    this.locks.push(key);
    return Promise.resolve();
  }

  /** The keys, in the order the real one takes them (sorted, once each); a `before` statement is not run. */
  override lockKeys(keys: Iterable<string>): Promise<void> {
    this.locks.push(...[...new Set(keys)].sort());
    return Promise.resolve();
  }

  override publish<T extends EventTypeName>(
    type: T,
    payload: EventPayload<T>,
    options?: EncodeOptions,
  ): Promise<EncodedMessage> {
    const message = encodeEvent(type, payload, options);
    this.published.push({ type, payload } as PublishedEvent);
    return Promise.resolve(message);
  }

  /**
   * As if the change changed a row: the event is recorded (and encoded); the statements are not run — a unit
   * test has no database, and its in-memory repository applies the change itself.
   */
  override async publishWithChange(_change: ChangeStatement, event: PendingEvent): Promise<StatementResult> {
    const message = await this.publish(event.type, event.payload, event.options);
    return { changed: true, message };
  }

  override async publishAll(events: readonly PendingEvent[]): Promise<EncodedMessage[]> {
    const messages: EncodedMessage[] = [];
    for (const event of events) messages.push(await this.publish(event.type, event.payload, event.options));
    return messages;
  }
}

/**
 * A `UnitOfWork` for use-case unit tests: each `run` gets a `RecordingTransaction`, and its events and locks
 * count as committed only when the work succeeds — a thrown problem rolls them back, as the real one does —
 * and its `afterCommit` effects run only then.
 */
export class RecordingUnitOfWork extends UnitOfWork {
  readonly published: PublishedEvent[] = [];
  readonly locks: string[] = [];
  runs = 0;

  constructor() {
    super(NO_DATABASE as unknown as DataSource, new Outbox('unit-test'));
  }

  override async run<R>(work: (tx: Transaction) => Promise<R>): Promise<R> {
    this.runs += 1;
    const tx = new RecordingTransaction();
    const result = await work(tx);
    this.published.push(...tx.published);
    this.locks.push(...tx.locks);
    tx.committed();
    return result;
  }

  /**
   * A one-statement change, as if its statement changed a row: the event is recorded (and encoded, so a
   * payload the contract rejects fails), the statement itself is not run — a unit test has no database.
   */
  override async runStatement(_change: ChangeStatement, event: PendingEvent): Promise<StatementResult> {
    this.runs += 1;
    const tx = new RecordingTransaction();
    const message = await tx.publish(event.type, event.payload, event.options);
    this.published.push(...tx.published);
    return { changed: true, message };
  }

  /** The committed events of one type, in order. */
  eventsOf<T extends EventTypeName>(type: T): PublishedEvent<T>[] {
    return this.published.filter((event): event is PublishedEvent<T> => event.type === type);
  }

  /** The committed payloads of one type, in order. */
  payloads<T extends EventTypeName>(type: T): EventPayload<T>[] {
    return this.eventsOf(type).map((event) => event.payload);
  }
}
