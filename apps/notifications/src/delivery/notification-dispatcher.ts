import { Logger } from '@nestjs/common';
import { NotificationErrorCode, SuppressionReason } from '@stepwise/contracts';
import { type Transaction, type UnitOfWork } from '@stepwise/messaging';
import { type Clock } from '@stepwise/platform';
import { type EscalateAlerts } from '../alerts/escalate-alerts';
import { type MessageChannel, asDeliveryError } from '../channels/channel';
import { type WebhookSender } from '../channels/webhook.sender';
import { type Contact, type ContactChannel, type ContactDirectory } from '../contacts/contact-directory';
import { type ConsentGate } from '../disclosures/consent-gate';
import { currentDisclosureNotice } from '../disclosures/disclosure-notice';
import { type DisclosureRecords } from '../disclosures/disclosures.repository';
import { type PreferencesRepository } from '../preferences/preferences.repository';
import { type DeliveryOutcomes } from './delivery-outcomes';
import { type DeliveryRepository } from './delivery.repository';
import { type NotificationRow } from './notification-store';
import { type QuietHours, parseQuietHours, quietHoursEnd } from './quiet-hours';
import { TemplateError, localTime, renderTemplate } from './templates';

export interface DispatchSettings {
  readonly claimLeaseMs: number;
  readonly batchSize: number;
  readonly delivery: { readonly maxAttempts: number; readonly baseDelayMs: number };
  readonly webhook: {
    readonly maxAttempts: number;
    readonly baseDelayMs: number;
    readonly disableAfterFailures: number;
  };
  readonly escalationSeconds: number;
  readonly defaultQuietHours: string;
}

/** The dispatcher's collaborators (the ones it needs of each, so a test can stand in for any). */
export interface DispatcherParts {
  readonly unitOfWork: UnitOfWork;
  readonly clock: Clock;
  readonly deliveries: DeliveryRepository;
  readonly outcomes: DeliveryOutcomes;
  readonly escalations: Pick<EscalateAlerts, 'escalateOverdue'>;
  readonly preferences: Pick<PreferencesRepository, 'find'>;
  readonly disclosures: DisclosureRecords;
  readonly channels: Readonly<Record<ContactChannel, MessageChannel>>;
  readonly contacts: Pick<ContactDirectory, 'staff' | 'familyMember' | 'client'>;
  readonly consents: Pick<ConsentGate, 'intake'>;
  readonly webhooks: Pick<WebhookSender, 'post'>;
}

const DEFAULT_CHANNEL: Record<string, ContactChannel> = { client: 'sms', family: 'email', staff: 'email' };

/**
 * Sends what is due. Called by the Redis timers and by the periodic sweep (either alone is enough): escalates
 * unacknowledged urgent alerts, then claims due notifications with `FOR UPDATE SKIP LOCKED` and delivers each —
 * so with several replicas each notification is sent by exactly one. Contacts are looked up here, at send time,
 * and exist only in memory for the duration of the send.
 */
export class NotificationDispatcher {
  private readonly logger = new Logger('NotificationDispatcher');
  private running: Promise<void> | undefined;
  private again = false;
  private readonly quietDefault: QuietHours;
  private readonly clock: Clock;
  private readonly outcomes: DeliveryOutcomes;
  private readonly contacts: DispatcherParts['contacts'];

  constructor(
    private readonly parts: DispatcherParts,
    private readonly settings: DispatchSettings,
  ) {
    this.quietDefault = parseQuietHours(settings.defaultQuietHours);
    this.clock = parts.clock;
    this.outcomes = parts.outcomes;
    this.contacts = parts.contacts;
  }

  /** Runs one pass at a time per process; a call during a pass asks for one more pass. */
  processDue(): Promise<void> {
    if (this.running !== undefined) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.pass();
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async pass(): Promise<void> {
    await this.parts.escalations.escalateOverdue();
    for (;;) {
      const claimed = await this.parts.unitOfWork.run((tx) =>
        this.parts.deliveries.claimDue(
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
      if (row.kind === 'webhook') await this.sendWebhook(row);
      else await this.sendMessage(row);
    } catch (error) {
      const failure = asDeliveryError(error);
      if (!(error instanceof Error && error.name === 'DeliveryError'))
        this.logger.error(
          `Notification ${row.id} failed unexpectedly: ${error instanceof Error ? error.name : 'error'}`,
        );
      await this.outcomes.failedAttempt(
        row,
        failure,
        channel,
        row.kind === 'webhook' ? this.settings.webhook : this.settings.delivery,
      );
    }
  }

  private lookup(row: NotificationRow, channel: ContactChannel): Promise<Contact | undefined> {
    if (row.recipient_kind === 'staff') return this.contacts.staff(row.recipient_id, channel);
    if (row.recipient_kind === 'family')
      return this.contacts.familyMember(row.client_id ?? '', row.recipient_id, channel);
    return this.contacts.client(row.recipient_id, channel);
  }

  private async sendMessage(row: NotificationRow): Promise<void> {
    const prefs = await this.parts.preferences.find(row.recipient_id);
    const preferred = prefs?.channels.find((c): c is ContactChannel => c === 'email' || c === 'sms');
    const channel: ContactChannel =
      row.channel === 'email' || row.channel === 'sms'
        ? row.channel
        : (preferred ?? DEFAULT_CHANNEL[row.recipient_kind] ?? 'email');
    if (prefs?.opted_out === true && !row.urgent)
      return this.outcomes.suppressed(row, SuppressionReason.OptedOut, channel);
    // Reached only after its appointment began (the service was down, retries ran long): "tomorrow at 6 pm"
    // would now be wrong, so it is not sent at all.
    if (this.pointlessAt(row, this.clock.now()))
      return this.outcomes.suppressed(row, SuppressionReason.Expired, channel);
    if (row.kind === 'family-update' && !(await this.familyConsentHolds(row, channel))) return;

    const contact = await this.lookup(row, channel);
    if (contact === undefined)
      return this.outcomes.failed(row, NotificationErrorCode.InvalidDestination, 'no-contact', channel);
    const timeZone = prefs?.time_zone ?? contact.timeZone;
    if (!row.urgent) {
      const quiet =
        prefs?.quiet_start != null && prefs.quiet_end != null
          ? { start: prefs.quiet_start, end: prefs.quiet_end }
          : this.quietDefault;
      const until = quietHoursEnd(this.clock.now(), quiet, timeZone);
      if (until !== undefined && this.pointlessAt(row, until))
        return this.outcomes.suppressed(row, SuppressionReason.QuietHoursDeferred, channel);
      if (until !== undefined) return this.outcomes.deferred(row, until, channel);
    }
    const locale = prefs?.preferred_language ?? contact.preferredLanguage;
    let message;
    try {
      message = renderTemplate(
        row.template_code ?? '',
        channel,
        locale,
        this.templateParams(row, timeZone, locale),
      );
    } catch (error) {
      if (error instanceof TemplateError)
        return this.outcomes.failed(row, NotificationErrorCode.TemplateError, 'template', channel);
      throw error;
    }
    try {
      await this.parts.channels[channel].send({
        to: contact.address,
        subject: message.subject,
        text: message.text,
      });
    } catch (error) {
      await this.outcomes.failedAttempt(row, asDeliveryError(error), channel, this.settings.delivery);
      return;
    }
    await this.outcomes.sent(row, channel, message.templateId, async (tx) => {
      if (row.requires_ack && row.escalate_at === null)
        await this.parts.deliveries.armEscalation(
          tx.manager,
          row.id,
          new Date(this.clock.now().getTime() + this.settings.escalationSeconds * 1000),
        );
      if (row.kind === 'family-update') await this.recordDisclosure(tx, row);
    });
  }

  /**
   * A reminder that quiet hours would hold until its appointment has begun is not worth sending late: it is
   * suppressed (final) instead of deferred.
   */
  private pointlessAt(row: NotificationRow, sendAt: Date): boolean {
    const startsAt = row.kind === 'reminder' ? row.params['startsAt'] : undefined;
    return startsAt !== undefined && sendAt.getTime() >= new Date(startsAt).getTime();
  }

  private templateParams(row: NotificationRow, timeZone: string, locale: string): Record<string, string> {
    const params: Record<string, string> = { reference: row.params['reference'] ?? row.id };
    const startsAt = row.params['startsAt'];
    if (startsAt !== undefined) params['time'] = localTime(new Date(startsAt), timeZone, locale);
    const topic = row.params['category'];
    if (topic !== undefined) params['topic'] = topic.replace(/-/g, ' ');
    params['notice'] = currentDisclosureNotice().text;
    return params;
  }

  /** A disclosure's consent, re-checked at send time: locally (revocations heard of) and with intake. */
  private async consentHolds(
    row: NotificationRow,
    recipientKind: string,
    channel: 'email' | 'sms' | 'webhook',
  ): Promise<boolean> {
    const consentId = row.params['consentId'] ?? '';
    if (!(await this.parts.disclosures.consentActive(consentId, this.clock.now()))) {
      await this.outcomes.suppressed(row, SuppressionReason.ConsentRevoked, channel);
      return false;
    }
    const verdict = await this.parts.consents.intake({
      clientId: row.client_id ?? '',
      recipientKind,
      recipientId: row.params['consentRecipientId'] ?? row.recipient_id,
      category: row.params['category'] ?? '',
      purpose: row.params['purpose'] ?? '',
    });
    if (verdict.allowed) return true;
    await this.outcomes.suppressed(
      row,
      /revok/.test(verdict.reason) ? SuppressionReason.ConsentRevoked : SuppressionReason.NoConsent,
      channel,
    );
    return false;
  }

  private familyConsentHolds(row: NotificationRow, channel: ContactChannel): Promise<boolean> {
    return this.consentHolds(row, 'family-member', channel);
  }

  /** Accounts for the disclosure just made, in the transaction that records it as sent. */
  private recordDisclosure(tx: Transaction, row: NotificationRow): Promise<void> {
    return this.parts.disclosures.recordDisclosure(tx.manager, {
      notificationId: row.id,
      clientId: row.client_id,
      siteId: row.site_id,
      recipientKind: row.params['consentRecipientKind'] ?? 'family-member',
      recipientId: row.params['consentRecipientId'] ?? row.recipient_id,
      consentId: row.params['consentId'],
      purpose: row.params['purpose'],
      category: row.params['category'],
      eventType: row.params['eventType'],
      noticeVersion: currentDisclosureNotice().version,
      disclosedAt: this.clock.now(),
    });
  }

  private async sendWebhook(row: NotificationRow): Promise<void> {
    const subscription = await this.parts.disclosures.subscription(row.subscription_id);
    if (subscription === undefined || subscription.status !== 'active')
      return this.outcomes.cancelled(row, 'subscription-disabled');
    if (!(await this.consentHolds(row, subscription.recipient_kind, 'webhook'))) return;
    const notice = currentDisclosureNotice();
    const body = JSON.stringify({
      deliveryId: row.id,
      eventId: row.trigger_event_id,
      eventType: row.params['eventType'],
      occurredAt: row.params['occurredAt'],
      clientId: row.client_id,
      purpose: row.params['purpose'],
      informationCategory: row.params['category'],
      consentId: row.params['consentId'],
      data: JSON.parse(row.params['event'] ?? 'null') as unknown,
      notice: { version: notice.version, text: notice.text },
    });
    const nowSeconds = Math.floor(this.clock.now().getTime() / 1000);
    try {
      await this.parts.webhooks.post(subscription.url, subscription.secret, row.id, body, nowSeconds);
    } catch (error) {
      await this.outcomes.failedAttempt(row, asDeliveryError(error), 'webhook', this.settings.webhook, (tx) =>
        this.subscriptionFailed(tx, subscription.id),
      );
      return;
    }
    await this.outcomes.sent(row, 'webhook', 'care-event-webhook@1', async (tx) => {
      await this.parts.disclosures.subscriptionDelivered(tx.manager, subscription.id);
      await this.recordDisclosure(tx, {
        ...row,
        params: { ...row.params, consentRecipientKind: subscription.recipient_kind },
      });
    });
  }

  /** A delivery failed for good: one more failure in a row; past the limit the subscription is disabled. */
  private async subscriptionFailed(tx: Transaction, subscriptionId: string): Promise<void> {
    // Disabling it withdraws its other queued deliveries: they will not be attempted.
    await this.parts.disclosures.subscriptionFailed(
      tx.manager,
      subscriptionId,
      this.settings.webhook.disableAfterFailures,
      this.clock.now(),
    );
  }
}
