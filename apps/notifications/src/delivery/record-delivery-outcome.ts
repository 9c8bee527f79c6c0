import { Injectable } from '@nestjs/common';
import {
  type NotificationChannel,
  type NotificationErrorCode,
  type NotificationRecipientKind,
  type SuppressionReason,
} from '@stepwise/contracts';
import { type Transaction, UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { DeliveryObserver, UNOBSERVED, observe } from './delivery-observer';
import { DeliveryRepository } from './delivery.repository';
import { type ChannelName, type NotificationRow } from './notification-store';

/** What every notification event says about its notification: which one, to whom, caused by what. */
export interface NotificationSubject {
  readonly notificationId: string;
  readonly recipientId: string;
  readonly recipientKind: NotificationRecipientKind;
  readonly triggerEventId: string;
}

/** What a sent step records of the content: its hash and, for a disclosure, the notice version it carried. */
export interface SentContent {
  readonly sha256: string;
  readonly noticeVersion?: string;
}

export const subjectOf = (row: NotificationRow): NotificationSubject => ({
  notificationId: row.id,
  recipientId: row.recipient_id,
  recipientKind: row.recipient_kind as NotificationRecipientKind,
  triggerEventId: row.trigger_event_id,
});

/**
 * Ends one claimed attempt of a notification for good: sent, suppressed, cancelled or failed. The row's new
 * state, one step of its delivery log, the caller's own writes (`within`) and its event (NotificationSent /
 * Suppressed / Failed) commit together. Each change applies only while this replica still holds the claim
 * (`status = 'sending'` and the same id), so a reminder moved meanwhile is never reported.
 */
@Injectable()
export class RecordDeliveryOutcome {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly deliveries: DeliveryRepository,
    private readonly observer: DeliveryObserver = UNOBSERVED,
  ) {}

  async sent(
    row: NotificationRow,
    channel: ChannelName,
    templateId: string,
    within?: (tx: Transaction) => Promise<void>,
    content?: SentContent,
  ): Promise<void> {
    const now = this.clock.now();
    const committed = await this.unitOfWork.run(async (tx) => {
      if (!(await this.deliveries.markSent(tx.manager, row.id, channel, now))) return false;
      await this.deliveries.logStep(tx.manager, row.id, 'sent', {
        channel,
        attempt: row.attempts,
        at: now,
        contentSha256: content?.sha256 ?? null,
        noticeVersion: content?.noticeVersion ?? null,
      });
      if (within !== undefined) await within(tx);
      await tx.publish('NotificationSent', {
        ...subjectOf(row),
        channel: channel as NotificationChannel,
        templateId,
        sentAt: now.toISOString(),
      });
      return true;
    });
    observe(this.observer, committed, row, channel, 'sent');
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
    observe(this.observer, committed, row, channel, 'suppressed', reason);
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
    observe(this.observer, committed, row, row.channel ?? undefined, 'cancelled', reason);
  }

  /** Failed for good, with its reason (protocol codes only) and NotificationFailed. */
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
    observe(this.observer, committed, row, channel, 'failed', code);
  }
}
