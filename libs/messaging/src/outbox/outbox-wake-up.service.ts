import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { MetricsService, SERVICE_NAME, ServiceConfig } from '@stepwise/platform';
import { type OutboxWakeUp, PgOutboxWakeUp, preferLocalRelay } from './outbox-wake-up';
import { OutboxRelayService } from '../relay/outbox-relay.service';
import { describeError } from '../errors/transient-error';
import { OUTBOX_SCHEMA } from './outbox.tokens';

/**
 * The service's relay wake-up (one per process, shared by its UnitOfWork and its event consumer). A failed
 * wake-up only costs a poll interval, so it is counted and logged at debug level, never raised.
 */
@Injectable()
export class OutboxWakeUpService implements OutboxWakeUp, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxWakeUp');
  private readonly notify: PgOutboxWakeUp;
  private readonly wakeUp: OutboxWakeUp;

  constructor(
    config: ServiceConfig,
    metrics: MetricsService,
    @Inject(OUTBOX_SCHEMA) schema: string,
    @Inject(SERVICE_NAME) service: string,
    relay: OutboxRelayService,
  ) {
    const failures = metrics.counter({
      name: 'stepwise_outbox_wake_up_failures_total',
      help: 'Relay wake-ups (pg_notify after commit) that failed; the relay polls instead',
    });
    this.notify = new PgOutboxWakeUp(
      { connectionString: config.DATABASE_URL, schema, applicationName: `stepwise-${service}-wake-up` },
      {
        failed: (error) => {
          failures.inc();
          this.logger.debug(`Relay wake-up failed (the relay polls instead): ${describeError(error)}`);
        },
      },
    );
    // The relay usually runs in this process: waking it directly saves the notification's round trip.
    this.wakeUp = preferLocalRelay(relay.relay, this.notify);
  }

  committed(): void {
    this.wakeUp.committed();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.notify.close();
  }
}
