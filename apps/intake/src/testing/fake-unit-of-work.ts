import {
  type EncodeOptions,
  type EncodedMessage,
  type EventPayload,
  type EventTypeName,
  encodeEvent,
} from '@stepwise/contracts';
import { type PendingEvent, type Transaction, type UnitOfWork } from '@stepwise/messaging';
import { type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import { type PublicOf } from './stand-in';

/** An event a use case published, as committed. */
export interface PublishedEvent {
  readonly type: EventTypeName;
  readonly payload: unknown;
}

/**
 * A manager that fails on any use: a use case under unit test reaches the database only through its
 * (in-memory) repository, which ignores the manager it is handed.
 */
export const unreachableManager = (): EntityManager =>
  new Proxy({} as EntityManager, {
    get: (_target, property) => {
      throw new Error(`the use case used the entity manager (${String(property)}) instead of its repository`);
    },
  });

/** A transaction whose `publish` records the events (validated against their contract, as the outbox does). */
export class FakeTransaction implements PublicOf<Transaction> {
  readonly manager = unreachableManager();
  readonly events: PublishedEvent[] = [];

  get wroteOutbox(): boolean {
    return this.events.length > 0;
  }

  lock<E extends ObjectLiteral>(_entity: EntityTarget<E>, _id: string): Promise<E | null> {
    throw new Error('the use case locked a row itself instead of loading it through ScopedRecords');
  }

  async lockKey(_key: string): Promise<void> {
    // Serialisation is the database's business; a unit test runs one use case at a time.
  }

  async publish<T extends EventTypeName>(
    type: T,
    payload: EventPayload<T>,
    options?: EncodeOptions,
  ): Promise<EncodedMessage> {
    const message = encodeEvent(type, payload, options);
    this.events.push({ type, payload });
    return message;
  }

  async publishAll(events: readonly PendingEvent[]): Promise<EncodedMessage[]> {
    const messages: EncodedMessage[] = [];
    for (const event of events) messages.push(await this.publish(event.type, event.payload, event.options));
    return messages;
  }
}

/** Runs the use case's work in a FakeTransaction; only the events of work that succeeded count as published. */
export class FakeUnitOfWork implements PublicOf<UnitOfWork> {
  readonly published: PublishedEvent[] = [];

  async run<R>(work: (tx: Transaction) => Promise<R>): Promise<R> {
    const tx = new FakeTransaction();
    // A FakeTransaction offers Transaction's whole public surface; its private outbox is what it replaces.
    const result = await work(tx as unknown as Transaction);
    this.published.push(...tx.events);
    return result;
  }
}
