import {
  type EncodeOptions,
  type EncodedMessage,
  type EventPayload,
  type EventTypeName,
} from '@stepwise/contracts';
import {
  type DataSource,
  type EntityManager,
  type EntityTarget,
  type FindOptionsWhere,
  type ObjectLiteral,
} from 'typeorm';
import { type Outbox } from './outbox';

/**
 * What a use case does inside one transaction: lock the aggregate it changes, change state through
 * `manager`, publish the facts. Everything commits together or not at all.
 */
export class Transaction {
  constructor(
    readonly manager: EntityManager,
    private readonly outbox: Outbox,
  ) {}

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
    await this.manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
  }

  /** Appends an event to the outbox; it is published after (and only if) the transaction commits. */
  publish<T extends EventTypeName>(
    type: T,
    payload: EventPayload<T>,
    options?: EncodeOptions,
  ): Promise<EncodedMessage> {
    return this.outbox.append(this.manager, type, payload, options);
  }
}

/** Runs use cases as transactions with an outbox. */
export class UnitOfWork {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
  ) {}

  run<R>(work: (tx: Transaction) => Promise<R>): Promise<R> {
    return this.dataSource.transaction((manager) => work(new Transaction(manager, this.outbox)));
  }
}
