import { type EventPayload, type EventTypeName } from '@stepwise/contracts';
import { type PendingEvent, type Transaction, type UnitOfWork } from '@stepwise/messaging';
import { type EntityManager } from 'typeorm';

/** An event a use case published, as the outbox would hold it. */
export interface PublishedEvent {
  readonly type: EventTypeName;
  readonly payload: unknown;
}

/**
 * A `UnitOfWork` without a database for unit tests: each `run` gets a transaction that records the keys it
 * locked and the events it published; the events count as committed only when the work succeeds (a thrown
 * problem rolls them back, as the real transaction would).
 */
export class FakeUnitOfWork {
  readonly published: PublishedEvent[] = [];
  readonly locks: string[] = [];
  /** An opaque manager: in-memory repositories ignore it, and nothing may query through it. */
  readonly manager = {
    query: () => Promise.reject(new Error('unit tests do not query a database')),
  } as unknown as EntityManager;

  async run<R>(work: (tx: Transaction) => Promise<R>): Promise<R> {
    const pending: PublishedEvent[] = [];
    const tx = {
      manager: this.manager,
      lockKey: (key: string) => {
        this.locks.push(key);
        return Promise.resolve();
      },
      publish: <T extends EventTypeName>(type: T, payload: EventPayload<T>) => {
        pending.push({ type, payload });
        return Promise.resolve({});
      },
      publishAll: (events: readonly PendingEvent[]) => {
        pending.push(...events.map((e) => ({ type: e.type, payload: e.payload })));
        return Promise.resolve([]);
      },
    } as unknown as Transaction;
    const result = await work(tx);
    this.published.push(...pending);
    return result;
  }

  /** The committed events of one type. */
  eventsOf(type: EventTypeName): PublishedEvent[] {
    return this.published.filter((e) => e.type === type);
  }

  /** This fake where a use case asks for the real class (which has private state). */
  asUnitOfWork(): UnitOfWork {
    return this as unknown as UnitOfWork;
  }
}
