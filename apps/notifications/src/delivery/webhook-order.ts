import { T } from './notification-store';

/**
 * The ordering rule of webhook deliveries: one subscriber receives one client's events in the order they were
 * queued (for the events of one topic, their order on Kafka; the fan-out queues them as it consumes them). A
 * delivery is a stream's head when no earlier delivery of the same subscription and client is still pending
 * (queued, waiting out a retry's backoff, or being sent); anything behind a pending one is **held**, whatever
 * its due time. Other clients' streams, and other subscribers, are not held. A delivery that ends — sent,
 * suppressed, cancelled or failed for good — releases the next one.
 *
 * `alias` is the outer query's notification row; the SQL is a condition true when that row is held. The
 * partial index `notifications_webhook_stream` (subscription, client, queue_seq) of pending rows serves it.
 */
export function heldBehindEarlier(alias: string): string {
  return `(${alias}.subscription_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM ${T('notifications')} earlier
     WHERE earlier.subscription_id = ${alias}.subscription_id AND earlier.client_id = ${alias}.client_id
       AND earlier.queue_seq < ${alias}.queue_seq AND earlier.status IN ('queued', 'sending')))`;
}

/** A row as the ordering rule sees it (the in-memory table of the unit tests applies the same rule). */
export interface OrderedDelivery {
  readonly subscription_id: string | null;
  readonly client_id: string | null;
  readonly status: string;
}

/**
 * The same rule over rows in queue order (the unit tests' in-memory table): whether `rows[index]` is held
 * behind an earlier pending delivery of its stream.
 */
export function isHeld(rows: readonly OrderedDelivery[], index: number): boolean {
  const row = rows[index];
  if (row?.subscription_id == null || row.client_id === null) return false;
  return rows
    .slice(0, index)
    .some(
      (earlier) =>
        earlier.subscription_id === row.subscription_id &&
        earlier.client_id === row.client_id &&
        (earlier.status === 'queued' || earlier.status === 'sending'),
    );
}
