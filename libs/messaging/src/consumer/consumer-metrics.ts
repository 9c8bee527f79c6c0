import { type MetricsService } from '@stepwise/platform';
import { type ConsumerObserver } from './event-consumer';

/**
 * The consumer's Prometheus metrics, per event type (`ce_type`) — never per client or event id:
 * consumed, skipped as duplicate, skipped as unhandled, id conflicts, handler failures, dead letters (by
 * reason), transient waits, handler duration, lag per partition, and runs applied in one transaction or not.
 */
export function consumerMetrics(metrics: MetricsService, consumer: string): ConsumerObserver {
  const labelled = <N extends string>(name: N, help: string) =>
    metrics.counter({ name, help, labelNames: ['consumer', 'type'] as const });
  const consumed = labelled(
    'stepwise_events_consumed_total',
    'Events applied by a consumer (inbox row and effects committed)',
  );
  const duplicates = labelled(
    'stepwise_events_skipped_duplicate_total',
    'Redelivered events skipped by the inbox',
  );
  const unhandled = labelled(
    'stepwise_events_skipped_unhandled_total',
    'Events of a type the consumer has no handler for, skipped deliberately',
  );
  const conflicts = labelled(
    'stepwise_events_conflicting_id_total',
    'Events reusing an applied id with a different payload (flagged, not applied)',
  );
  const failures = labelled(
    'stepwise_event_handler_failures_total',
    'Handler attempts that failed (retried, then dead-lettered)',
  );
  const deadLettered = metrics.counter({
    name: 'stepwise_events_dead_lettered_total',
    help: 'Records sent to the dead-letter topic, by reason (contract-violation, handler-failed)',
    labelNames: ['consumer', 'type', 'reason'] as const,
  });
  const transient = metrics.counter({
    name: 'stepwise_consumer_transient_errors_total',
    help: 'Waits on an unavailable database or broker, or on data not arrived yet (never counted against a record)',
    labelNames: ['consumer'] as const,
  });
  const duration = metrics.histogram({
    name: 'stepwise_event_handler_duration_seconds',
    help: 'Time to apply one event: inbox insert, handler and commit',
    labelNames: ['consumer', 'type'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
  });
  const lag = metrics.gauge({
    name: 'stepwise_consumer_lag',
    help: 'Records between the last fetched batch and the end of the partition',
    labelNames: ['consumer', 'topic', 'partition'] as const,
  });
  const runs = metrics.counter({
    name: 'stepwise_consumer_runs_total',
    help: 'Runs of records of a partition batch: applied in one transaction, or taken record by record after something unusual (a failure, a duplicate, a bad record)',
    labelNames: ['consumer', 'outcome'] as const,
  });
  return {
    consumed: (type, seconds) => {
      consumed.inc({ consumer, type });
      duration.observe({ consumer, type }, seconds);
    },
    duplicate: (type) => duplicates.inc({ consumer, type }),
    unhandled: (type) => unhandled.inc({ consumer, type }),
    conflict: (type) => conflicts.inc({ consumer, type }),
    failed: (type) => failures.inc({ consumer, type }),
    deadLettered: (type, reason) => deadLettered.inc({ consumer, type, reason }),
    transient: () => transient.inc({ consumer }),
    lag: (topic, partition, records) => lag.set({ consumer, topic, partition: String(partition) }, records),
    run: (outcome) => runs.inc({ consumer, outcome }),
  };
}
