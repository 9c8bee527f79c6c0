import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EmailChannel } from './channels/email.channel';
import { NotificationsConfig } from './config/notifications.config';
import { DeliveryRepository } from './delivery/delivery.repository';
import { DispatchDueNotifications } from './delivery/dispatch-due-notifications';
import { BullmqTimers, NotificationTimers } from './timers/notification-timers';

/**
 * The sending side of a replica: Redis timers wake the dispatcher when something falls due, a periodic sweep of
 * Postgres does the same as a safety net, and the timers are rebuilt from Postgres at start and whenever Redis
 * comes back after an outage.
 */
@Injectable()
export class NotificationsWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('NotificationsWorker');
  private sweep: NodeJS.Timeout | undefined;
  private rebuildNeeded = true;

  constructor(
    @Inject(getDataSourceToken()) private readonly dataSource: DataSource,
    @Inject(NotificationTimers) private readonly timers: NotificationTimers,
    private readonly dispatch: DispatchDueNotifications,
    private readonly deliveries: DeliveryRepository,
    private readonly email: EmailChannel,
    private readonly config: NotificationsConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.timers instanceof BullmqTimers) {
      this.timers.setHandlers(
        () => this.run(),
        () => (this.rebuildNeeded = true),
      );
      this.timers.start();
    }
    this.sweep = setInterval(() => void this.tick(), this.config.NOTIFICATION_SWEEP_INTERVAL_MS);
    void this.tick();
  }

  private async tick(): Promise<void> {
    if (!this.dataSource.isInitialized) return; // the database module is still connecting
    if (this.rebuildNeeded && this.timers instanceof BullmqTimers) {
      try {
        await this.timers.rebuild(await this.deliveries.pendingTimers(this.dataSource.manager));
        this.rebuildNeeded = false;
      } catch {
        // Retried on the next sweep.
      }
    }
    await this.run();
  }

  private async run(): Promise<void> {
    try {
      await this.dispatch.run();
    } catch (error) {
      this.logger.warn(`Sending pass failed: ${error instanceof Error ? error.name : 'error'}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.sweep !== undefined) clearInterval(this.sweep);
    if (this.timers instanceof BullmqTimers) await this.timers.close();
    this.email.close();
  }
}
