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
import { SPAN_ATTRIBUTES, currentTraceparent, inSpan, setSpanAttributes } from '@stepwise/platform';
import { type EntityManager } from 'typeorm';
import { keyLockSql, lockKeys } from './key-lock';

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

/** One event to append: the triple `tx.publish` takes, for `tx.publishAll`. */
export interface PendingEvent<T extends EventTypeName = EventTypeName> {
  readonly type: T;
  readonly payload: EventPayload<T>;
  readonly options?: EncodeOptions;
}

/** A `PendingEvent` whose payload the compiler checks against its type (an object literal is checked loosely). */
export function pendingEvent<T extends EventTypeName>(
  type: T,
  payload: EventPayload<T>,
  options?: EncodeOptions,
): PendingEvent {
  return { type, payload, ...(options === undefined ? {} : { options }) } as PendingEvent;
}

/**
 * A use case's whole change as one data-modifying statement (`INSERT`, `UPDATE` or `DELETE` with a
 * `RETURNING` clause), its parameters numbered from `$1`: `UnitOfWork.runStatement` sends it and its event's
 * outbox row as one autocommitted statement.
 */
export interface ChangeStatement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

/**
 * A statement's parameters renumbered to start after `offset` others (`$1` → `$<offset + 1>`), so that
 * statements written on their own can share one. Statements here are the project's own SQL, with no `$` in
 * a literal or a dollar-quoted body.
 */
function shiftParameters(statement: ChangeStatement, offset: number): ChangeStatement {
  return {
    sql: statement.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`),
    parameters: statement.parameters,
  };
}

/** What a one-statement change did: `changed` is false when its statement returned no row (no event then). */
export interface StatementResult {
  readonly changed: boolean;
  readonly message: EncodedMessage;
}

/** Thrown for a change statement whose event could not depend on it: without `RETURNING` it yields no rows. */
export class ChangeWithoutReturningError extends Error {
  constructor(type: string) {
    super(`The change that publishes ${type} must be one INSERT, UPDATE or DELETE … RETURNING`);
    this.name = 'ChangeWithoutReturningError';
  }
}

/** The outbox columns an append fills; `OutboxRow` holds their values in this order. */
const COLUMN_NAMES = ['id', 'aggregatetype', 'aggregateid', 'type', 'topic', 'payload', 'headers'] as const;
const COLUMNS = COLUMN_NAMES.join(', ');

type OutboxRow = readonly [
  id: string | undefined,
  aggregateType: string,
  aggregateId: string,
  type: string | undefined,
  topic: string,
  payload: string,
  headers: string,
];

interface EncodedRow {
  readonly message: EncodedMessage;
  readonly row: OutboxRow;
}

/** Rows per INSERT of a bulk append: seven arrays of this length stay well inside one statement's limits. */
const BULK_CHUNK = 2_000;

function requireTransaction(manager: EntityManager, type: string): void {
  if (manager.queryRunner?.isTransactionActive !== true) throw new OutboxOutsideTransactionError(type);
}

/** Column by column, as `unnest` takes them. */
function columnsOf(rows: readonly OutboxRow[]): (string | undefined)[][] {
  return COLUMN_NAMES.map((_, column) => rows.map((row) => row[column]));
}

/**
 * One multi-row INSERT. `ORDER BY n`: each row draws its `sequence` as it is formed, so the rows of a key
 * are published in the order of the list.
 */
async function insertRows(manager: EntityManager, schema: string, rows: readonly OutboxRow[]): Promise<void> {
  await manager.query(
    `INSERT INTO "${schema}"."outbox" (${COLUMNS})
     SELECT id, aggregatetype, aggregateid, type, topic, payload::jsonb, headers::jsonb
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
         WITH ORDINALITY AS r(id, aggregatetype, aggregateid, type, topic, payload, headers, n)
      ORDER BY n`,
    columnsOf(rows),
  );
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
    requireTransaction(manager, type);
    // The row carries the append's own span as its trace context: the relay's publish continues from it.
    return inSpan(
      `outbox append ${type}`,
      { attributes: { [SPAN_ATTRIBUTES.eventType]: type, [SPAN_ATTRIBUTES.eventCount]: 1 } },
      async () => {
        const { message, row } = this.encode(pendingEvent(type, payload, options), currentTraceparent());
        setSpanAttributes({
          [SPAN_ATTRIBUTES.eventId]: message.headers['ce_id'] ?? '',
          [SPAN_ATTRIBUTES.topic]: message.topic,
        });
        // One round trip: the row's source takes the key's lock, so its `sequence` is drawn only once the
        // lock is held (the identity is computed when the row is formed, after its source row was produced).
        await manager.query(
          `INSERT INTO "${this.schema}"."outbox" (${COLUMNS})
           SELECT $1, $2, $3, $4, $5, $6, $7 FROM (SELECT ${keyLockSql('$3')}) AS key_lock`,
          [...row],
        );
        return message;
      },
    );
  }

  /**
   * `append` for many events, with the same guarantees, in a few round trips rather than one per event: the
   * keys' locks in one statement, then the rows in multi-row INSERTs. Each key's events keep the list's order.
   */
  async appendAll(manager: EntityManager, events: readonly PendingEvent[]): Promise<EncodedMessage[]> {
    requireTransaction(manager, events[0]?.type ?? 'An event');
    const [only, ...more] = events;
    if (only === undefined) return [];
    // One event is cheaper as a single append: its lock and its row go in one statement.
    if (more.length === 0) return [await this.append(manager, only.type, only.payload, only.options)];
    const types = [...new Set(events.map((event) => event.type))].sort();
    return inSpan(
      `outbox append ${types.length === 1 ? only.type : 'events'}`,
      {
        attributes: {
          [SPAN_ATTRIBUTES.eventType]: types.join(','),
          [SPAN_ATTRIBUTES.eventCount]: events.length,
        },
      },
      async () => {
        const traceparent = currentTraceparent();
        const encoded = events.map((event) => this.encode(event, traceparent));
        await lockKeys(
          manager,
          encoded.map((e) => e.message.key),
        );
        for (let start = 0; start < encoded.length; start += BULK_CHUNK) {
          const chunk = encoded.slice(start, start + BULK_CHUNK);
          await insertRows(
            manager,
            this.schema,
            chunk.map((e) => e.row),
          );
        }
        return encoded.map((e) => e.message);
      },
    );
  }

  /**
   * Makes `change` and appends `event` in ONE statement, autocommitted (or in the caller's transaction, if
   * `manager` has one): a data-modifying CTE whose outbox row is formed only if the change returned a row,
   * after the key's lock is held — so one round trip keeps what BEGIN, the change, the append and COMMIT
   * kept. One statement is atomic (a failure of either part leaves neither), the key's advisory lock is held
   * until the statement's commit and its `sequence` is drawn under it (per-key order, as `append`), and a
   * deadlock aborts the whole statement, which `UnitOfWork` runs again.
   *
   * A change that returns no row (`ON CONFLICT DO NOTHING`, an `UPDATE` whose `WHERE` matched nothing)
   * publishes nothing: the event reports a change that happened, so a replayed request publishes once.
   *
   * `alongside` are further data-modifying statements made in the same statement (an audit entry, say), each
   * numbering its own parameters from `$1`. They are made whether or not the change returned a row: a caller
   * for whom that matters runs in a transaction and rolls back when `changed` is false.
   */
  async appendWithChange(
    manager: EntityManager,
    change: ChangeStatement,
    event: PendingEvent,
    alongside: readonly ChangeStatement[] = [],
  ): Promise<StatementResult> {
    if (!/\breturning\b/i.test(change.sql)) throw new ChangeWithoutReturningError(event.type);
    return inSpan(
      `outbox append ${event.type}`,
      { attributes: { [SPAN_ATTRIBUTES.eventType]: event.type, [SPAN_ATTRIBUTES.eventCount]: 1 } },
      async () => {
        const { message, row } = this.encode(event, currentTraceparent());
        setSpanAttributes({
          [SPAN_ATTRIBUTES.eventId]: message.headers['ce_id'] ?? '',
          [SPAN_ATTRIBUTES.topic]: message.topic,
        });
        let offset = change.parameters.length;
        const also = alongside.map((statement, i) => {
          const shifted = shiftParameters(statement, offset);
          offset += statement.parameters.length;
          return { cte: `, also_${i} AS (${shifted.sql})`, parameters: shifted.parameters };
        });
        const first = offset + 1;
        const slots = row.map((_, i) => `$${first + i}`);
        // `changed` yields one row if the change returned any; the outbox row is formed from it and from
        // `key_lock`, so its identity (`sequence`) is drawn only once the key's lock is held. A data-modifying
        // CTE runs to completion whether or not the outer statement reads it: `also_*` need no reference.
        const rows = await manager.query<unknown[]>(
          `WITH change AS (${change.sql})${also.map((a) => a.cte).join('')}
           INSERT INTO "${this.schema}"."outbox" (${COLUMNS})
           SELECT ${slots.join(', ')}
             FROM (SELECT 1 FROM change LIMIT 1) AS changed,
                  (SELECT ${keyLockSql(`$${first + 2}`)}) AS key_lock
           RETURNING sequence`,
          [...change.parameters, ...also.flatMap((a) => a.parameters), ...row],
        );
        return { changed: rows.length > 0, message };
      },
    );
  }

  /** The one place an event becomes an outbox row, for single and bulk appends alike. */
  private encode(event: PendingEvent, traceparent: string): EncodedRow {
    const options = event.options ?? {};
    const message = encodeEvent(
      event.type,
      event.payload,
      { ...options, traceparent: options.traceparent ?? traceparent },
      this.environment,
    );
    const row: OutboxRow = [
      message.headers['ce_id'],
      aggregateType(eventDefinition(event.type, options.version).key),
      message.key,
      message.headers['ce_type'],
      message.topic,
      message.value.toString('utf8'),
      JSON.stringify(message.headers),
    ];
    return { message, row };
  }
}
