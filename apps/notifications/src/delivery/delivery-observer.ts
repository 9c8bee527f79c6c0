import { type NotificationRow } from './notification-store';

/** What became of one attempt, for the delivery metrics (`deliveryMetrics`). */
export type DeliveryOutcome = 'sent' | 'suppressed' | 'failed' | 'retrying' | 'deferred' | 'cancelled';

/**
 * Told of each outcome once it committed; labels are codes only (kind, channel, outcome, reason code). A class
 * so Nest can inject it (the module provides `deliveryMetrics`).
 */
export abstract class DeliveryObserver {
  abstract outcome(kind: string, channel: string, outcome: DeliveryOutcome, reason: string): void;
}

/** An observer that is told nothing (unit tests that do not look at metrics). */
export const UNOBSERVED: DeliveryObserver = { outcome: () => undefined };

/** Reports an outcome that committed (a replica that lost its claim reports nothing). */
export function observe(
  observer: DeliveryObserver,
  committed: boolean,
  row: NotificationRow,
  channel: string | undefined,
  outcome: DeliveryOutcome,
  reason = '',
): void {
  if (committed) observer.outcome(row.kind, channel ?? 'none', outcome, reason);
}
