import { METRIC_CATALOGUE, metricOfSeries } from '@stepwise/contracts';
import { type ObservabilityExpression } from './expressions';

/**
 * What a live Prometheus scraping a healthy run of the four services (the end-to-end check in
 * e2e/src/observability) should answer for each expression of `allObservabilityExpressions()`:
 *
 * - `data`: at least one series — during the run or at its end;
 * - `quiet`: it counts something that does not happen in a healthy run (failures, dead letters, server errors)
 *   or is an alert condition, so it may stay empty; `provenBy: 'poison-record'` ones must return data once
 *   the check injects a record no consumer can read;
 * - `planned`: it reads a metric the catalogue marks `planned` (no service serves it yet), so it may stay empty
 *   — derived from the catalogue, so the day a service serves the metric and flips it to `served` the same
 *   expression is required to have data.
 *
 * Every expression must parse and execute, whatever its expectation.
 */
export type LiveExpectation =
  | { readonly kind: 'data' }
  | { readonly kind: 'quiet'; readonly reason: string; readonly provenBy?: 'poison-record' }
  | { readonly kind: 'planned'; readonly metrics: readonly string[] };

interface QuietRule {
  /** Quiet when every metric the expression reads is one of these… */
  readonly metrics?: readonly string[];
  /** …or when the expression holds this matcher. */
  readonly matcher?: string;
  readonly reason: string;
  readonly provenBy?: 'poison-record';
}

/** What stays at zero in a healthy run, and why. Each entry must match an expression (a unit test checks). */
export const QUIET_IN_A_HEALTHY_RUN: readonly QuietRule[] = [
  {
    metrics: ['stepwise_events_dead_lettered_total'],
    reason: 'no record is dead-lettered in a healthy run; proven with an injected poison record',
    provenBy: 'poison-record',
  },
  {
    metrics: ['stepwise_event_publish_failures_total', 'stepwise_outbox_wake_up_failures_total'],
    reason: 'the broker and the database never refuse the relay in a healthy run',
  },
  {
    metrics: [
      'stepwise_event_handler_failures_total',
      'stepwise_events_conflicting_id_total',
      'stepwise_consumer_transient_errors_total',
    ],
    reason: 'no handler fails, no event id is reused for different content, no dependency is briefly down',
  },
  {
    metrics: ['stepwise_events_skipped_duplicate_total'],
    reason: 'duplicates arrive only when a record is redelivered (a rebalance or crash before the commit)',
  },
  {
    metrics: ['stepwise_transaction_retries_total'],
    reason: 'retried only on a serialization conflict or deadlock, which a run may or may not meet',
  },
  {
    matcher: 'outcome="failed"',
    reason: 'no notification fails: the mail relay and the webhook receiver accept everything',
  },
];

const PLANNED = new Set(METRIC_CATALOGUE.filter((m) => m.status === 'planned').map((m) => m.name));

export function liveExpectation(expression: ObservabilityExpression): LiveExpectation {
  const quiet = QUIET_IN_A_HEALTHY_RUN.find((rule) => matches(rule, expression));
  if (quiet !== undefined) {
    return {
      kind: 'quiet',
      reason: quiet.reason,
      ...(quiet.provenBy === undefined ? {} : { provenBy: quiet.provenBy }),
    };
  }
  if (expression.source === 'alert') {
    return { kind: 'quiet', reason: 'an alert condition: empty while all is well' };
  }
  const planned = expression.metrics.filter((name) => PLANNED.has(metricOfSeries(name)?.name ?? ''));
  if (planned.length > 0) return { kind: 'planned', metrics: planned };
  return { kind: 'data' };
}

/** Whether a quiet rule applies to an expression (exported for the test that keeps the list free of stale entries). */
export function matches(rule: QuietRule, expression: ObservabilityExpression): boolean {
  const byMetric =
    rule.metrics !== undefined &&
    expression.metrics.length > 0 &&
    expression.metrics.every((name) => rule.metrics?.includes(metricOfSeries(name)?.name ?? name));
  const byMatcher = rule.matcher !== undefined && expression.expr.includes(rule.matcher);
  return byMetric || byMatcher;
}
