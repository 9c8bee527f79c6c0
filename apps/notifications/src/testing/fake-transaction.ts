import {
  type EncodeOptions,
  type EncodedMessage,
  type EventPayload,
  type EventTypeName,
  encodeEvent,
} from '@stepwise/contracts';
import { Outbox, Transaction, UnitOfWork } from '@stepwise/messaging';
import { type DataSource, type EntityManager } from 'typeorm';
import { type IsolationLevel } from 'typeorm/driver/types/IsolationLevel';

/**
 * The database handle unit tests pass around: the in-memory repositories never use it, so nothing here may
 * reach it (a use case that queried it directly would fail loudly).
 */
const DATABASE_CALLS = new Set(['query', 'transaction', 'findOne', 'find', 'save', 'getRepository']);
export const NO_DATABASE = new Proxy(
  {},
  {
    get: (_target, property) => {
      if (typeof property === 'string' && DATABASE_CALLS.has(property))
        throw new Error(`A unit test reached the database (${property})`);
      return undefined;
    },
  },
) as EntityManager;

/** An event a use case published, as the outbox would have received it. */
export interface PublishedEvent {
  readonly type: EventTypeName;
  readonly payload: unknown;
}

/**
 * A transaction that records what is published instead of writing the outbox. Each payload is encoded as the
 * real outbox would, so a payload the contract rejects fails the test.
 */
export class RecordingTransaction extends Transaction {
  constructor(readonly published: PublishedEvent[] = []) {
    super(NO_DATABASE, new Outbox('unit-test'));
  }

  override publish<T extends EventTypeName>(
    type: T,
    payload: EventPayload<T>,
    options?: EncodeOptions,
  ): Promise<EncodedMessage> {
    const message = encodeEvent(type, payload, options);
    this.published.push({ type, payload });
    return Promise.resolve(message);
  }
}

/** Runs each unit of work in a recording transaction; `published` holds what all of them published. */
export class FakeUnitOfWork extends UnitOfWork {
  readonly published: PublishedEvent[] = [];

  constructor() {
    super(NO_DATABASE as unknown as DataSource, new Outbox('unit-test'));
  }

  override run<R>(work: (tx: Transaction) => Promise<R>): Promise<R> {
    return work(new RecordingTransaction(this.published));
  }
}

type Work<R> = (manager: EntityManager) => Promise<R>;

/** `DataSource.transaction` for use cases that take it (with or without an isolation level): runs the work. */
export class FakeDataSource implements Pick<DataSource, 'transaction'> {
  transactions = 0;

  transaction<R>(...args: [Work<R>] | [IsolationLevel, Work<R>]): Promise<R> {
    this.transactions += 1;
    const work = args.length === 1 ? args[0] : args[1];
    return work(NO_DATABASE);
  }
}
