import { type MetricsService } from '@stepwise/platform';
import { type DeliveryObserver } from './delivery-observer';

/**
 * `stepwise_notifications_total{kind,channel,outcome,reason}`: what became of each attempt — sent, suppressed
 * (by reason: consent, opt-out, quiet hours…), deferred for quiet hours, retrying or failed (by error code),
 * cancelled. Labels are codes from bounded vocabularies; never a recipient, client or address.
 */
export function deliveryMetrics(metrics: MetricsService): DeliveryObserver {
  const outcomes = metrics.counter({
    name: 'stepwise_notifications_total',
    help: 'Notification attempts by kind, channel and outcome (sent, suppressed, deferred, retrying, failed, cancelled) with the reason code',
    labelNames: ['kind', 'channel', 'outcome', 'reason'] as const,
  });
  return {
    outcome: (kind, channel, outcome, reason) => outcomes.inc({ kind, channel, outcome, reason }),
  };
}
