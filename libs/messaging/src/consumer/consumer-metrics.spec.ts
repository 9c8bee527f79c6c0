import { MetricsService } from '@stepwise/platform';
import { metricValue } from '@stepwise/testing';
import { consumerMetrics } from './consumer-metrics';

describe(consumerMetrics.name, () => {
  const type = 'care.sessions.SessionAttended.v1';
  const consumer = 'notifications';

  it('exposes what the consumer reports, labelled by consumer and event type only', async () => {
    const metrics = new MetricsService('notifications');
    const observer = consumerMetrics(metrics, consumer);
    observer.consumed?.(type, 0.004);
    observer.consumed?.(type, 0.02);
    observer.duplicate?.(type);
    observer.unhandled?.('care.sessions.SessionMissed.v1');
    observer.conflict?.(type);
    observer.failed?.(type);
    observer.deadLettered?.(type, 'handler-failed');
    observer.deadLettered?.('unknown', 'contract-violation');
    observer.transient?.(new Error('connect ECONNREFUSED'));
    observer.lag?.('sessions.events.v1', 3, 42);
    observer.run?.('applied', 50);
    observer.run?.('applied', 12);
    observer.run?.('per-record', 50);

    const text = await metrics.registry.metrics();
    const value = (name: string, labels: Record<string, string>): number | undefined =>
      metricValue(text, name, { service: 'notifications', ...labels });
    expect(value('stepwise_events_consumed_total', { consumer, type })).toBe(2);
    expect(value('stepwise_event_handler_duration_seconds_count', { consumer, type })).toBe(2);
    expect(value('stepwise_event_handler_duration_seconds_sum', { consumer, type })).toBeCloseTo(0.024);
    expect(value('stepwise_events_skipped_duplicate_total', { consumer, type })).toBe(1);
    expect(
      value('stepwise_events_skipped_unhandled_total', { consumer, type: 'care.sessions.SessionMissed.v1' }),
    ).toBe(1);
    expect(value('stepwise_events_conflicting_id_total', { consumer, type })).toBe(1);
    expect(value('stepwise_event_handler_failures_total', { consumer, type })).toBe(1);
    expect(value('stepwise_events_dead_lettered_total', { consumer, type, reason: 'handler-failed' })).toBe(
      1,
    );
    expect(
      value('stepwise_events_dead_lettered_total', {
        consumer,
        type: 'unknown',
        reason: 'contract-violation',
      }),
    ).toBe(1);
    expect(value('stepwise_consumer_transient_errors_total', { consumer })).toBe(1);
    expect(value('stepwise_consumer_lag', { consumer, topic: 'sessions.events.v1', partition: '3' })).toBe(
      42,
    );
    expect(value('stepwise_consumer_runs_total', { consumer, outcome: 'applied' })).toBe(2);
    expect(value('stepwise_consumer_runs_total', { consumer, outcome: 'per-record' })).toBe(1);
    // Labels carry codes and coordinates only: no event ids, no client ids.
    expect(text).not.toMatch(/event_id|client/);
  });
});
