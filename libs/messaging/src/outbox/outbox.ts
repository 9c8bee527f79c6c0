import {
  type EncodeOptions,
  type EncodedMessage,
  type EnvelopeEnvironment,
  type EventPayload,
  type EventTypeName,
  encodeEvent,
  eventDefinition,
  systemEnvelopeEnvironment,
} from '@stepwise/contracts';
import { currentTraceparent } from '@stepwise/platform';
import { type EntityManager } from 'typeorm';

/** Thrown when an event would be written outside a transaction: the state change and its event must commit together. */
export class OutboxOutsideTransactionError extends Error {
  constructor(type: string) {
    super(`${type} must be appended inside the transaction that makes the change it reports`);
    this.name = 'OutboxOutsideTransactionError';
  }
}

/** `clientId` → `client`: the Debezium `aggregatetype` of an event, from its contract's key field. */
function aggregateType(keyField: string): string {
  return keyField.endsWith('Id') ? keyField.slice(0, -2) : keyField;
}

/**
 * Writes events to the service's outbox table, through the contracts library (so only a valid event of a
 * known type can be written), in the caller's transaction. Nothing here talks to Kafka: the relay publishes
 * committed rows.
 *
 * Per-key order: before inserting, the transaction takes a transaction-scoped advisory lock on the event's
 * record key (the client id). A second transaction writing for the same key waits until the first commits,
 * so it allocates its `sequence` after the first's commit — one key's rows are committed in sequence order,
 * which is the order the relay publishes. Writers for different keys never wait for each other.
 */
export class Outbox {
  constructor(
    private readonly schema: string,
    private readonly environment: EnvelopeEnvironment = systemEnvelopeEnvironment,
  ) {}

  async append<T extends EventTypeName>(
    manager: EntityManager,
    type: T,
    payload: EventPayload<T>,
    options: EncodeOptions = {},
  ): Promise<EncodedMessage> {
    if (manager.queryRunner?.isTransactionActive !== true) throw new OutboxOutsideTransactionError(type);
    const message = encodeEvent(
      type,
      payload,
      { ...options, traceparent: options.traceparent ?? currentTraceparent() },
      this.environment,
    );
    // One round trip: the row's source takes the key's lock, so its `sequence` is drawn only once the lock
    // is held (the identity is computed when the row is formed, after its source row was produced).
    await manager.query(
      `INSERT INTO "${this.schema}"."outbox" (id, aggregatetype, aggregateid, type, topic, payload, headers)
       SELECT $1, $2, $3, $4, $5, $6, $7 FROM (SELECT pg_advisory_xact_lock(hashtextextended($3, 0))) AS key_lock`,
      [
        message.headers['ce_id'],
        aggregateType(eventDefinition(type, options.version).key),
        message.key,
        message.headers['ce_type'],
        message.topic,
        message.value.toString('utf8'),
        JSON.stringify(message.headers),
      ],
    );
    return message;
  }
}
