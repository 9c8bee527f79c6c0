import { Injectable } from '@nestjs/common';
import { type NotificationChannel, SuppressionReason } from '@stepwise/contracts';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { NotificationTimers } from '../timers/notification-timers';
import { DeliveryObserver, UNOBSERVED, observe } from './delivery-observer';
import { DeliveryRepository } from './delivery.repository';
import { type ChannelName, type NotificationRow } from './notification-store';
import { subjectOf } from './record-delivery-outcome';

/**
 * Quiet hours: a claimed notification goes back in the queue until they end (a deferral is not a failed
 * attempt), its timer set for then. The first deferral is reported (NotificationSuppressed
 * `quiet-hours-deferred`), later ones only logged. Applies only while this replica still holds the claim.
 */
@Injectable()
export class DeferNotification {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly timers: NotificationTimers,
    private readonly deliveries: DeliveryRepository,
    private readonly observer: DeliveryObserver = UNOBSERVED,
  ) {}

  async defer(row: NotificationRow, until: Date, channel: ChannelName): Promise<void> {
    const now = this.clock.now();
    const first = row.params['deferred'] === undefined;
    const committed = await this.unitOfWork.run(async (tx) => {
      const released = await this.deliveries.requeueDeferred(tx.manager, row.id, until, now);
      if (!released) return false;
      await this.deliveries.logStep(tx.manager, row.id, 'deferred', {
        reason: SuppressionReason.QuietHoursDeferred,
        channel,
        attempt: row.attempts,
        at: now,
      });
      if (first)
        await tx.publish('NotificationSuppressed', {
          ...subjectOf(row),
          channel: channel as NotificationChannel,
          reason: SuppressionReason.QuietHoursDeferred,
          suppressedAt: now.toISOString(),
        });
      return true;
    });
    observe(this.observer, committed, row, channel, 'deferred', SuppressionReason.QuietHoursDeferred);
    if (committed) await this.timers.schedule(row.id, until);
  }
}
