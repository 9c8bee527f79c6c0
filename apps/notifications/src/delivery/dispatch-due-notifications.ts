import { Inject, Injectable, Logger } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock, CoalescedPasses } from '@stepwise/platform';
import { EscalateAlerts } from '../alerts/escalate-alerts';
import { asDeliveryError } from '../channels/channel';
import { DeliveryRepository } from './delivery.repository';
import { DispatchSettings } from './dispatch-settings';
import { type NotificationRow } from './notification-store';
import { PostWebhook } from './post-webhook';
import { RetryDelivery } from './retry-delivery';
import { DEFAULT_CHANNEL, SendMessage } from './send-message';

/**
 * Sends what is due. Called by the Redis timers and by the periodic sweep (either alone is enough): escalates
 * unacknowledged urgent alerts, then claims due notifications with `FOR UPDATE SKIP LOCKED` and delivers each —
 * so with several replicas each notification is sent by exactly one. A delivery that fails unexpectedly counts
 * as a failed attempt.
 */
@Injectable()
export class DispatchDueNotifications {
  // Operations search the sending side's logs by this name.
  private readonly logger = new Logger('NotificationDispatcher');
  private readonly passes = new CoalescedPasses(() => this.pass());

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly settings: DispatchSettings,
    private readonly deliveries: DeliveryRepository,
    @Inject(EscalateAlerts) private readonly escalations: Pick<EscalateAlerts, 'escalateOverdue'>,
    private readonly messages: SendMessage,
    private readonly webhooks: PostWebhook,
    private readonly retries: RetryDelivery,
  ) {}

  /** Runs one pass at a time per process; a call during a pass asks for one more pass. */
  run(): Promise<void> {
    return this.passes.run();
  }

  private async pass(): Promise<void> {
    await this.escalations.escalateOverdue();
    for (;;) {
      const claimed = await this.unitOfWork.run((tx) =>
        this.deliveries.claimDue(
          tx.manager,
          this.clock.now(),
          this.settings.claimLeaseMs,
          this.settings.batchSize,
        ),
      );
      if (claimed.length === 0) return;
      for (const row of claimed) await this.deliver(row);
    }
  }

  private async deliver(row: NotificationRow): Promise<void> {
    const channel =
      row.kind === 'webhook' ? 'webhook' : (row.channel ?? DEFAULT_CHANNEL[row.recipient_kind] ?? 'email');
    try {
      if (row.kind === 'webhook') await this.webhooks.post(row);
      else await this.messages.send(row);
    } catch (error) {
      const failure = asDeliveryError(error);
      if (!(error instanceof Error && error.name === 'DeliveryError'))
        this.logger.error(
          `Notification ${row.id} failed unexpectedly: ${error instanceof Error ? error.name : 'error'}`,
        );
      await this.retries.afterFailure(
        row,
        failure,
        channel,
        row.kind === 'webhook' ? this.settings.webhook : this.settings.delivery,
      );
    }
  }
}
