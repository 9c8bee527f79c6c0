import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Clock, MetricsService, readingPerScrape } from '@stepwise/platform';
import { DataSource } from 'typeorm';
import { T } from './notification-store';
import { heldBehindEarlier } from './webhook-order';

interface HoldReading {
  held: number;
  oldest: Date | null;
}

/**
 * How much webhook delivery is held back by the ordering rule (`heldBehindEarlier`): deliveries waiting behind an
 * earlier, failing one of the same client and subscription, and how long the oldest has waited. Read from the
 * notification table at each scrape, so every replica reports the same figure (aggregate with `max`). No labels:
 * which subscription is held is in `GET /v1/webhook-subscriptions` (`heldDeliveries`), never in a metric.
 */
@Injectable()
export class WebhookHoldGauges implements OnModuleInit {
  private readonly logger = new Logger('WebhookHoldGauges');

  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: MetricsService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    // One query per scrape for both gauges: prom-client collects them concurrently, so they share it.
    const read = readingPerScrape(() =>
      this.dataSource
        .query<HoldReading[]>(
          `SELECT count(*)::int AS held, min(n.created_at) AS oldest FROM ${T('notifications')} n
            WHERE n.subscription_id IS NOT NULL AND n.status = 'queued' AND ${heldBehindEarlier('n')}`,
        )
        .then(([row]) => row ?? { held: 0, oldest: null }),
    );
    const logger = this.logger;
    const clock = this.clock;
    this.metrics.gauge({
      name: 'stepwise_webhook_deliveries_held',
      help: 'Webhook deliveries waiting behind an earlier, failing delivery of the same client to the same subscriber',
      async collect() {
        try {
          this.set((await read()).held);
        } catch (error) {
          // The scrape still answers (with the last reading); readiness reports the database.
          logger.warn(`Held webhook deliveries not read: ${(error as Error).message}`);
        }
      },
    });
    this.metrics.gauge({
      name: 'stepwise_webhook_held_oldest_age_seconds',
      help: 'Seconds the oldest held webhook delivery has waited since it was queued (0 when none is held)',
      async collect() {
        try {
          const { oldest } = await read();
          this.set(
            oldest === null ? 0 : Math.max(0, (clock.now().getTime() - new Date(oldest).getTime()) / 1000),
          );
        } catch (error) {
          logger.warn(`Held webhook deliveries not read: ${(error as Error).message}`);
        }
      },
    });
  }
}
