import { Injectable } from '@nestjs/common';
import { type Transaction, UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type DeliveryError } from '../channels/channel';
import { NotificationTimers } from '../timers/notification-timers';
import { DeliveryObserver, UNOBSERVED, observe } from './delivery-observer';
import { DeliveryRepository } from './delivery.repository';
import { type RetryPolicy } from './dispatch-settings';
import { type ChannelName, type NotificationRow } from './notification-store';
import { RecordDeliveryOutcome } from './record-delivery-outcome';

/**
 * After a failed attempt: queued again after an exponential backoff (its timer set) while attempts remain and
 * the failure may pass; otherwise failed for good (`RecordDeliveryOutcome.failed`, with `onFinalFailure` in its
 * transaction). Applies only while this replica still holds the claim.
 */
@Injectable()
export class RetryDelivery {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly timers: NotificationTimers,
    private readonly deliveries: DeliveryRepository,
    private readonly outcomes: RecordDeliveryOutcome,
    private readonly observer: DeliveryObserver = UNOBSERVED,
  ) {}

  async afterFailure(
    row: NotificationRow,
    error: DeliveryError,
    channel: ChannelName,
    policy: RetryPolicy,
    onFinalFailure?: (tx: Transaction) => Promise<void>,
  ): Promise<'retrying' | 'failed'> {
    const now = this.clock.now();
    if (error.retryable && row.attempts < policy.maxAttempts) {
      const retryAt = new Date(now.getTime() + policy.baseDelayMs * 2 ** (row.attempts - 1));
      const committed = await this.unitOfWork.run(async (tx) => {
        if (!(await this.deliveries.requeueRetry(tx.manager, row.id, retryAt, error.reason, now)))
          return false;
        await this.deliveries.logStep(tx.manager, row.id, 'retrying', {
          reason: `${error.code}:${error.reason}`,
          channel,
          attempt: row.attempts,
          at: now,
        });
        return true;
      });
      observe(this.observer, committed, row, channel, 'retrying', error.code);
      if (committed) await this.timers.schedule(row.id, retryAt);
      return 'retrying';
    }
    await this.outcomes.failed(row, error.code, error.reason, channel, onFinalFailure);
    return 'failed';
  }
}
