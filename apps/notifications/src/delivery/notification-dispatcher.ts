import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { NotificationErrorCode, SuppressionReason } from '@stepwise/contracts';
import { type Transaction, type UnitOfWork } from '@stepwise/messaging';
import { type DataSource, type EntityManager } from 'typeorm';
import { type Clock } from '@stepwise/platform';
import { type MessageChannel, asDeliveryError } from '../channels/channel';
import { type WebhookSender } from '../channels/webhook.sender';
import { type Contact, type ContactChannel, type ContactDirectory } from '../contacts/contact-directory';
import { type ConsentGate } from '../disclosures/consent-gate';
import { currentDisclosureNotice } from '../disclosures/disclosure-notice';
import { type PreferencesRow } from '../preferences/preferences.repository';
import { type DeliveryOutcomes } from './delivery-outcomes';
import { type NotificationRow, T, claimDue, logStep, queueNotification } from './notification-store';
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

/** What sending needs of a recipient's preferences. */
type Preferences = Omit<PreferencesRow, 'recipient_id' | 'recipient_kind' | 'site_id'>;

interface Subscription {
  id: string;
  organisation_id: string;
  recipient_kind: string;
  url: string;
  secret: string;
  status: string;
}

const DEFAULT_CHANNEL: Record<string, ContactChannel> = { client: 'sms', family: 'email', staff: 'email' };
const SECOND_CHANNEL: Record<ContactChannel, ContactChannel> = { email: 'sms', sms: 'email' };

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

  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly outcomes: DeliveryOutcomes,
    private readonly channels: Readonly<Record<ContactChannel, MessageChannel>>,
    private readonly contacts: ContactDirectory,
    private readonly consents: ConsentGate,
    private readonly webhooks: WebhookSender,
    private readonly settings: DispatchSettings,
  ) {
    this.quietDefault = parseQuietHours(settings.defaultQuietHours);
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
    await this.escalate();
    for (;;) {
      const claimed = await this.dataSource.transaction((manager) =>
        claimDue(manager, this.clock.now(), this.settings.claimLeaseMs, this.settings.batchSize),
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

  private async preferences(recipientId: string): Promise<Preferences | undefined> {
    const [row] = await this.dataSource.query<Preferences[]>(
      `SELECT channels, to_char(quiet_start, 'HH24:MI') AS quiet_start, to_char(quiet_end, 'HH24:MI') AS quiet_end,
              time_zone, preferred_language, opted_out
         FROM ${T('recipient_preferences')} WHERE recipient_id = $1`,
      [recipientId],
    );
    return row;
  }

  private lookup(row: NotificationRow, channel: ContactChannel): Promise<Contact | undefined> {
    if (row.recipient_kind === 'staff') return this.contacts.staff(row.recipient_id, channel);
    if (row.recipient_kind === 'family')
      return this.contacts.familyMember(row.client_id ?? '', row.recipient_id, channel);
    return this.contacts.client(row.recipient_id, channel);
  }

  private async sendMessage(row: NotificationRow): Promise<void> {
    const prefs = await this.preferences(row.recipient_id);
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
      await this.channels[channel].send({
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
        await tx.manager.query(`UPDATE ${T('notifications')} SET escalate_at = $2 WHERE id = $1`, [
          row.id,
          new Date(this.clock.now().getTime() + this.settings.escalationSeconds * 1000),
        ]);
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
    if (await this.consents.revokedSince(this.dataSource.manager, consentId, this.clock.now())) {
      await this.outcomes.suppressed(row, SuppressionReason.ConsentRevoked, channel);
      return false;
    }
    const verdict = await this.consents.intake({
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

  private async recordDisclosure(tx: Transaction, row: NotificationRow): Promise<void> {
    await tx.manager.query(
      `INSERT INTO ${T('disclosures')} (id, notification_id, client_id, site_id, recipient_kind, recipient_id, consent_id,
          purpose, category, event_type, notice_version, disclosed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (notification_id) DO NOTHING`,
      [
        randomUUID(),
        row.id,
        row.client_id,
        row.site_id,
        row.params['consentRecipientKind'] ?? 'family-member',
        row.params['consentRecipientId'] ?? row.recipient_id,
        row.params['consentId'],
        row.params['purpose'],
        row.params['category'],
        row.params['eventType'],
        currentDisclosureNotice().version,
        this.clock.now(),
      ],
    );
  }

  private async sendWebhook(row: NotificationRow): Promise<void> {
    const [subscription] = await this.dataSource.query<Subscription[]>(
      `SELECT id, organisation_id, recipient_kind, url, secret, status FROM ${T('webhook_subscriptions')} WHERE id = $1`,
      [row.subscription_id],
    );
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
      await this.webhooks.post(subscription.url, subscription.secret, row.id, body, nowSeconds);
    } catch (error) {
      await this.outcomes.failedAttempt(row, asDeliveryError(error), 'webhook', this.settings.webhook, (tx) =>
        this.subscriptionFailed(tx, subscription.id),
      );
      return;
    }
    await this.outcomes.sent(row, 'webhook', 'care-event-webhook@1', async (tx) => {
      await tx.manager.query(
        `UPDATE ${T('webhook_subscriptions')} SET consecutive_failures = 0 WHERE id = $1`,
        [subscription.id],
      );
      await this.recordDisclosure(tx, {
        ...row,
        params: { ...row.params, consentRecipientKind: subscription.recipient_kind },
      });
    });
  }

  /** A delivery failed for good: one more failure in a row; past the limit the subscription is disabled. */
  private async subscriptionFailed(tx: Transaction, subscriptionId: string): Promise<void> {
    const now = this.clock.now();
    const [[row]] = await tx.manager.query<[{ consecutive_failures: number; status: string }[], number]>(
      `UPDATE ${T('webhook_subscriptions')} SET consecutive_failures = consecutive_failures + 1,
          status = CASE WHEN consecutive_failures + 1 >= $2 THEN 'disabled' ELSE status END,
          disabled_at = CASE WHEN consecutive_failures + 1 >= $2 AND status = 'active' THEN $3 ELSE disabled_at END
        WHERE id = $1 RETURNING consecutive_failures, status`,
      [subscriptionId, this.settings.webhook.disableAfterFailures, now],
    );
    if (row?.status === 'disabled') {
      // Its other queued deliveries will not be attempted.
      const [cancelled] = await tx.manager.query<[{ id: string }[], number]>(
        `UPDATE ${T('notifications')} SET status = 'cancelled', reason = 'subscription-disabled', updated_at = $2
          WHERE subscription_id = $1 AND status = 'queued' RETURNING id`,
        [subscriptionId, now],
      );
      for (const c of cancelled)
        await logStep(tx.manager, c.id, 'cancelled', { reason: 'subscription-disabled', at: now });
    }
  }

  /**
   * Urgent alerts not acknowledged in time go to the site's clinical supervisor(s) on the other channel. The
   * claim (`SKIP LOCKED`, `escalated_at` set in the same transaction) makes each alert escalate once.
   */
  private async escalate(): Promise<void> {
    await this.unitOfWork.run(async (tx) => {
      const now = this.clock.now();
      const [alerts] = await tx.manager.query<[NotificationRow[], number]>(
        `UPDATE ${T('notifications')} n SET escalated_at = $1
           FROM (SELECT id FROM ${T('notifications')}
                  WHERE requires_ack AND acknowledged_at IS NULL AND escalated_at IS NULL AND escalate_at <= $1
                  ORDER BY escalate_at LIMIT 50 FOR UPDATE SKIP LOCKED) due
          WHERE n.id = due.id
          RETURNING n.id, n.recipient_id, n.client_id, n.site_id, n.channel, n.trigger_event_id`,
        [now],
      );
      for (const alert of alerts) await this.escalateOne(tx.manager, alert, now);
    });
  }

  private async escalateOne(manager: EntityManager, alert: NotificationRow, now: Date): Promise<void> {
    const supervisors = await manager.query<{ staff_id: string }[]>(
      `SELECT staff_id FROM ${T('staff')}
        WHERE active AND 'clinical-supervisor' = ANY(roles) AND $1 = ANY(site_ids) AND staff_id <> $2
        ORDER BY staff_id`,
      [alert.site_id, alert.recipient_id],
    );
    if (supervisors.length === 0) {
      await logStep(manager, alert.id, 'escalation-failed', { reason: 'no-supervisor', at: now });
      this.logger.warn(`Alert ${alert.id} cannot be escalated: no clinical supervisor at its site`);
      return;
    }
    const channel = SECOND_CHANNEL[alert.channel === 'sms' ? 'sms' : 'email'];
    for (const supervisor of supervisors) {
      await queueNotification(
        manager,
        {
          dedupeKey: `escalation:${alert.id}:${supervisor.staff_id}`,
          kind: 'escalation',
          triggerEventId: alert.trigger_event_id,
          recipientId: supervisor.staff_id,
          recipientKind: 'staff',
          ...(alert.client_id === null ? {} : { clientId: alert.client_id }),
          ...(alert.site_id === null ? {} : { siteId: alert.site_id }),
          channel,
          templateCode: 'clinical-alert-escalation',
          params: { reference: alert.id },
          urgent: true,
          dueAt: now,
        },
        now,
      );
    }
    await logStep(manager, alert.id, 'escalated', { reason: 'not-acknowledged', channel, at: now });
  }
}
