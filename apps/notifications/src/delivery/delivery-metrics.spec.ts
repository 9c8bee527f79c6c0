import { MetricsService } from '@stepwise/platform';
import { metricValue } from '@stepwise/testing';
import { deliveryMetrics } from './delivery-metrics';

describe(deliveryMetrics.name, () => {
  it('counts outcomes by kind, channel, outcome and reason code only', async () => {
    const metrics = new MetricsService('notifications');
    const observer = deliveryMetrics(metrics);
    observer.outcome('alert', 'email', 'sent', '');
    observer.outcome('alert', 'email', 'sent', '');
    observer.outcome('family-update', 'email', 'suppressed', 'consent-revoked');
    observer.outcome('reminder', 'sms', 'failed', 'destination-unreachable');

    const text = await metrics.registry.metrics();
    const value = (labels: Record<string, string>): number | undefined =>
      metricValue(text, 'stepwise_notifications_total', { service: 'notifications', ...labels });
    expect(value({ kind: 'alert', channel: 'email', outcome: 'sent', reason: '' })).toBe(2);
    expect(
      value({ kind: 'family-update', channel: 'email', outcome: 'suppressed', reason: 'consent-revoked' }),
    ).toBe(1);
    expect(
      value({ kind: 'reminder', channel: 'sms', outcome: 'failed', reason: 'destination-unreachable' }),
    ).toBe(1);
  });
});
