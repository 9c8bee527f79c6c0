import { Inject, Injectable } from '@nestjs/common';
import { SuppressionReason } from '@stepwise/contracts';
import { type Transaction } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { asDeliveryError } from '../channels/channel';
import { WebhookSender } from '../channels/webhook.sender';
import { contentHash } from '../disclosures/disclosure-content';
import { type DisclosureRecords, DisclosuresRepository } from '../disclosures/disclosures.repository';
import { SendTimeDisclosure } from '../disclosures/send-time-disclosure';
import { webhookBody } from '../disclosures/webhook-body';
import { DispatchSettings } from './dispatch-settings';
import { type NotificationRow } from './notification-store';
import { RecordDeliveryOutcome } from './record-delivery-outcome';
import { RetryDelivery } from './retry-delivery';

/**
 * Posts one claimed webhook delivery, signed, to its subscription while the subscription is active and the
 * consent still holds, accounting for the disclosure. A subscription whose deliveries keep failing for good is
 * disabled, which withdraws its other queued deliveries.
 */
@Injectable()
export class PostWebhook {
  constructor(
    private readonly clock: Clock,
    private readonly settings: DispatchSettings,
    @Inject(DisclosuresRepository) private readonly disclosures: DisclosureRecords,
    @Inject(WebhookSender) private readonly webhooks: Pick<WebhookSender, 'post'>,
    private readonly disclosure: SendTimeDisclosure,
    private readonly outcomes: RecordDeliveryOutcome,
    private readonly retries: RetryDelivery,
  ) {}

  async post(row: NotificationRow): Promise<void> {
    const subscription = await this.disclosures.subscription(row.subscription_id, this.clock.now());
    if (subscription === undefined || subscription.status !== 'active')
      return this.outcomes.cancelled(row, 'subscription-disabled');
    const clearance = await this.disclosure.clearance(row, subscription.recipient_kind);
    if (clearance.refused !== undefined) return this.outcomes.suppressed(row, clearance.refused, 'webhook');
    const { cleared } = clearance;
    // A CloudEvent carrying what the consent covers now (the event's payload or the FHIR resource it changed, as
    // the subscription chose), with the notice, scope and redisclosure statement.
    const built = webhookBody(row, cleared, subscription);
    if ('withheld' in built) return this.outcomes.suppressed(row, SuppressionReason.NoConsent, 'webhook');
    const { body } = built;
    const nowSeconds = Math.floor(this.clock.now().getTime() / 1000);
    try {
      await this.webhooks.post(subscription.url, subscription.secrets, row.id, body, nowSeconds);
    } catch (error) {
      await this.retries.afterFailure(row, asDeliveryError(error), 'webhook', this.settings.webhook, (tx) =>
        this.subscriptionFailed(tx, subscription.id),
      );
      return;
    }
    const sha256 = contentHash(body);
    await this.outcomes.sent(
      row,
      'webhook',
      'care-event-webhook@3',
      async (tx) => {
        await this.disclosures.subscriptionDelivered(tx.manager, subscription.id, this.clock.now());
        await this.disclosure.record(
          tx,
          { ...row, params: { ...row.params, consentRecipientKind: subscription.recipient_kind } },
          { cleared, channel: 'webhook', contentSha256: sha256 },
        );
      },
      { sha256, noticeVersion: cleared.notice.version },
    );
  }

  /** A delivery failed for good: one more failure in a row; past the limit the subscription is disabled. */
  private async subscriptionFailed(tx: Transaction, subscriptionId: string): Promise<void> {
    // Disabling it withdraws its other queued deliveries: they will not be attempted.
    await this.disclosures.subscriptionFailed(
      tx.manager,
      subscriptionId,
      this.settings.webhook.disableAfterFailures,
      this.clock.now(),
    );
  }
}
