import {
  type EncodeOptions,
  type EventPayload,
  type EventTypeName,
  encodeEvent,
  eventDefinition,
} from '@stepwise/contracts';
import { type Transaction } from '@stepwise/messaging';
import { currentTraceparent } from '@stepwise/platform';
import { SCHEDULING_SCHEMA } from '../scheduling.schema';

/** One event to append; the same triple `tx.publish` takes. */
export interface PendingEvent<T extends EventTypeName = EventTypeName> {
  readonly type: T;
  readonly payload: EventPayload<T>;
  readonly options?: EncodeOptions;
}

export function pendingEvent<T extends EventTypeName>(
  type: T,
  payload: EventPayload<T>,
  options?: EncodeOptions,
): PendingEvent {
  return { type, payload, ...(options === undefined ? {} : { options }) } as PendingEvent;
}

const CHUNK = 2_000;

/**
 * `tx.publish` for many events at once: a horizon of thousands of appointments would otherwise cost two
 * round trips per event. Same contract and same guarantees as the library's Outbox: every payload is
 * encoded (and so validated) through the contracts library, the transaction takes the per-key advisory
 * locks before inserting (in key order, so two bulk writers cannot deadlock), and rows go to the same
 * outbox table in the caller's transaction, published by the relay after commit in sequence order.
 */
export async function publishAll(tx: Transaction, events: readonly PendingEvent[]): Promise<void> {
  if (events.length === 0) return;
  if (events.length === 1) {
    const [only] = events as [PendingEvent];
    await tx.publish(only.type, only.payload, only.options);
    return;
  }
  const traceparent = currentTraceparent();
  const encoded = events.map((event) => {
    const message = encodeEvent(event.type, event.payload, {
      ...event.options,
      ...(traceparent === undefined ? {} : { traceparent: event.options?.traceparent ?? traceparent }),
    });
    const keyField = eventDefinition(event.type, event.options?.version).key;
    return {
      message,
      aggregateType: keyField.endsWith('Id') ? keyField.slice(0, -2) : keyField,
    };
  });
  const keys = [...new Set(encoded.map((e) => e.message.key))].sort();
  await tx.manager.query(
    `SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) FROM unnest($1::text[]) WITH ORDINALITY AS t(k, n)`,
    [keys],
  );
  for (let start = 0; start < encoded.length; start += CHUNK) {
    const chunk = encoded.slice(start, start + CHUNK);
    await tx.manager.query(
      `INSERT INTO "${SCHEDULING_SCHEMA}"."outbox" (id, aggregatetype, aggregateid, type, topic, payload, headers)
       SELECT id, aggregatetype, aggregateid, type, topic, payload::jsonb, headers::jsonb
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
           WITH ORDINALITY AS r(id, aggregatetype, aggregateid, type, topic, payload, headers, n)
        ORDER BY n`,
      [
        chunk.map((e) => e.message.headers['ce_id']),
        chunk.map((e) => e.aggregateType),
        chunk.map((e) => e.message.key),
        chunk.map((e) => e.message.headers['ce_type']),
        chunk.map((e) => e.message.topic),
        chunk.map((e) => e.message.value.toString('utf8')),
        chunk.map((e) => JSON.stringify(e.message.headers)),
      ],
    );
  }
  // Rows written here rather than through tx.publish: the relay is woken after the commit all the same.
  tx.markOutboxWritten();
}
