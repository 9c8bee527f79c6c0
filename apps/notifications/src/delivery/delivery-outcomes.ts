import {
  type NotificationChannel,
  type NotificationErrorCode,
  type NotificationRecipientKind,
  SuppressionReason,
} from '@stepwise/contracts';
import { type Transaction, type UnitOfWork } from '@stepwise/messaging';
import { type Clock } from '@stepwise/platform';
import { type DeliveryError } from '../channels/channel';
import { type NotificationTimers } from '../timers/notification-timers';
import { type DeliveryRepository } from './delivery.repository';
import { type ChannelName, type NotificationRow } from './notification-store';

/** What every notification event says about its notification: which one, to whom, caused by what. */
const subjectOf = (row: NotificationRow) => ({
  notificationId: row.id,
  recipientId: row.recipient_id,
  recipientKind: row.recipient_kind as NotificationRecipientKind,
  triggerEventId: row.trigger_event_id,
});

/** What became of one attempt, for the delivery metrics (`deliveryMetrics`). */
export type DeliveryOutcome = 'sent' | 'suppressed' | 'failed' | 'retrying' | 'deferred' | 'cancelled';

/** Told of each outcome once it committed; labels are codes only (kind, channel, outcome, reason code). */
export interface DeliveryObserver {
  outcome(kind: string, channel: string, outcome: DeliveryOutcome, reason: string): void;
}

const UNOBSERVED: DeliveryObserver = { outcome: () => undefined };

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
}

/**
 * Ends one claimed attempt of a notification: the row's new state, one step of its delivery log and its event
 * (NotificationSent / Suppressed / Failed) commit together. Each change applies only while this replica still
 * holds the claim (`status = 'sending'` and the same id), so a reminder moved meanwhile is never reported.
 */
export class DeliveryOutcomes {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly timers: NotificationTimers,
    private readonly deliveries: DeliveryRepository,
    private readonly observer: DeliveryObserver = UNOBSERVED,
  ) {}

  /** Reports an outcome that committed (a replica that lost its claim reports nothing). */
  private observed(
    committed: boolean,
    row: NotificationRow,
    channel: string | undefined,
    outcome: DeliveryOutcome,
    reason = '',
  ): void {
    if (committed) this.observer.outcome(row.kind, channel ?? 'none', outcome, reason);
  }

  async sent(
    row: NotificationRow,
    channel: ChannelName,
    templateId: string,
    within?: (tx: Transaction) => Promise<void>,
  ): Promise<void> {
    const now = this.clock.now();
    const committed = await this.unitOfWork.run(async (tx) => {
      if (!(await this.deliveries.markSent(tx.manager, row.id, channel, now))) return false;
      await this.deliveries.logStep(tx.manager, row.id, 'sent', { channel, attempt: row.attempts, at: now });
      if (within !== undefined) await within(tx);
      await tx.publish('NotificationSent', {
        ...subjectOf(row),
        channel: channel as NotificationChannel,
        templateId,
        sentAt: now.toISOString(),
      });
      return true;
    });
    this.observed(committed, row, channel, 'sent');
  }

  async suppressed(
    row: NotificationRow,
    reason: SuppressionReason,
    channel?: ChannelName,
    within?: (tx: Transaction) => Promise<void>,
  ): Promise<void> {
    const now = this.clock.now();
    const committed = await this.unitOfWork.run(async (tx) => {
      if (!(await this.deliveries.markSuppressed(tx.manager, row.id, reason, now))) return false;
      await this.deliveries.logStep(tx.manager, row.id, 'suppressed', {
        reason,
        channel: channel ?? null,
        attempt: row.attempts,
        at: now,
      });
      if (within !== undefined) await within(tx);
      await tx.publish('NotificationSuppressed', {
        ...subjectOf(row),
        ...(channel === undefined ? {} : { channel: channel as NotificationChannel }),
        reason,
        suppressedAt: now.toISOString(),
      });
      return true;
    });
    this.observed(committed, row, channel, 'suppressed', reason);
  }

  /** Withdrawn before it could be sent (its webhook subscription was disabled): nothing sent, nothing to report. */
  async cancelled(row: NotificationRow, reason: string): Promise<void> {
    const now = this.clock.now();
    const committed = await this.unitOfWork.run(async (tx) => {
      if (!(await this.deliveries.markCancelled(tx.manager, row.id, reason, now))) return false;
      await this.deliveries.logStep(tx.manager, row.id, 'cancelled', {
        reason,
        attempt: row.attempts,
        at: now,
      });
      return true;
    });
    this.observed(committed, row, row.channel ?? undefined, 'cancelled', reason);
  }

  /** Quiet hours: back in the queue until they end (a deferral is not a failed attempt), reported once. */
  async deferred(row: NotificationRow, until: Date, channel: ChannelName): Promise<void> {
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
    this.observed(committed, row, channel, 'deferred', SuppressionReason.QuietHoursDeferred);
    if (committed) await this.timers.schedule(row.id, until);
  }

  /**
   * A failed attempt: queued again after an exponential backoff while attempts remain and the failure may pass;
   * otherwise failed for good with its reason (protocol codes only) and NotificationFailed.
   */
  async failedAttempt(
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
      this.observed(committed, row, channel, 'retrying', error.code);
      if (committed) await this.timers.schedule(row.id, retryAt);
      return 'retrying';
    }
    await this.failed(row, error.code, error.reason, channel, onFinalFailure);
    return 'failed';
  }

  async failed(
    row: NotificationRow,
    code: NotificationErrorCode,
    reason: string,
    channel: ChannelName,
    within?: (tx: Transaction) => Promise<void>,
  ): Promise<void> {
    const now = this.clock.now();
    const committed = await this.unitOfWork.run(async (tx) => {
      if (!(await this.deliveries.markFailed(tx.manager, row.id, `${code}:${reason}`, now))) return false;
      await this.deliveries.logStep(tx.manager, row.id, 'failed', {
        reason: `${code}:${reason}`,
        channel,
        attempt: row.attempts,
        at: now,
      });
      if (within !== undefined) await within(tx);
      await tx.publish('NotificationFailed', {
        ...subjectOf(row),
        channel: channel as NotificationChannel,
        attempts: Math.max(1, row.attempts),
        errorCode: code,
        failedAt: now.toISOString(),
      });
      return true;
    });
    this.observed(committed, row, channel, 'failed', code);
  }
}
