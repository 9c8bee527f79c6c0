import { Inject, Injectable } from '@nestjs/common';
import { NotificationErrorCode, SuppressionReason } from '@stepwise/contracts';
import { Clock } from '@stepwise/platform';
import { type MessageChannel, asDeliveryError } from '../channels/channel';
import { EmailChannel } from '../channels/email.channel';
import { SmsProvider } from '../channels/sms.channel';
import { type Contact, type ContactChannel, ContactDirectory } from '../contacts/contact-directory';
import {
  type DisclosureParts,
  carriesParts,
  contentHash,
  disclosureParts,
} from '../disclosures/disclosure-content';
import { type ClearedDisclosure, SendTimeDisclosure } from '../disclosures/send-time-disclosure';
import { PreferencesRepository } from '../preferences/preferences.repository';
import { DeferNotification } from './defer-notification';
import { DeliveryRepository } from './delivery.repository';
import { DispatchSettings } from './dispatch-settings';
import { type NotificationRow } from './notification-store';
import { type QuietHours, parseQuietHours, quietHoursEnd } from './quiet-hours';
import { RecordDeliveryOutcome } from './record-delivery-outcome';
import { RetryDelivery } from './retry-delivery';
import { TemplateError, localTime, renderTemplate } from './templates';

/** The channel of a recipient who named none, by kind of recipient. */
export const DEFAULT_CHANNEL: Readonly<Record<string, ContactChannel>> = {
  client: 'sms',
  family: 'email',
  staff: 'email',
};

/**
 * Sends one claimed e-mail or SMS (a reminder, an alert, an escalation, a family update) as the recipient's
 * preferences allow: suppressed when they opted out (urgent alerts aside), when it is too late to matter or
 * when a family update's consent no longer holds; deferred through quiet hours; failed without a contact.
 * The contact is looked up here, at send time, and exists only in memory for the duration of the send.
 */
@Injectable()
export class SendMessage {
  private readonly quietDefault: QuietHours;
  private readonly channels: Readonly<Record<ContactChannel, MessageChannel>>;

  constructor(
    private readonly clock: Clock,
    private readonly settings: DispatchSettings,
    @Inject(PreferencesRepository) private readonly preferences: Pick<PreferencesRepository, 'find'>,
    @Inject(ContactDirectory)
    private readonly contacts: Pick<ContactDirectory, 'staff' | 'familyMember' | 'client'>,
    @Inject(EmailChannel) email: MessageChannel,
    @Inject(SmsProvider) sms: MessageChannel,
    private readonly disclosure: SendTimeDisclosure,
    private readonly deliveries: DeliveryRepository,
    private readonly outcomes: RecordDeliveryOutcome,
    private readonly deferral: DeferNotification,
    private readonly retries: RetryDelivery,
  ) {
    this.quietDefault = parseQuietHours(settings.defaultQuietHours);
    this.channels = { email, sms };
  }

  async send(row: NotificationRow): Promise<void> {
    const prefs = await this.preferences.find(row.recipient_id);
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
    let cleared: ClearedDisclosure | undefined;
    if (row.kind === 'family-update') {
      const clearance = await this.disclosure.clearance(row, 'family-member');
      if (clearance.refused !== undefined) return this.outcomes.suppressed(row, clearance.refused, channel);
      cleared = clearance.cleared;
    }

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
      if (until !== undefined) return this.deferral.defer(row, until, channel);
    }
    const locale = prefs?.preferred_language ?? contact.preferredLanguage;
    // A disclosure carries the §2.32 notice and the consent's scope in the channel's form.
    const parts: DisclosureParts | undefined =
      cleared === undefined
        ? undefined
        : disclosureParts(channel, cleared.terms, cleared.purpose, cleared.notice, cleared.noticeUrl);
    let message;
    try {
      message = renderTemplate(row.template_code ?? '', channel, locale, {
        ...this.templateParams(row, timeZone, locale),
        ...parts,
      });
    } catch (error) {
      if (error instanceof TemplateError)
        return this.outcomes.failed(row, NotificationErrorCode.TemplateError, 'template', channel);
      throw error;
    }
    // A disclosure whose text would not carry them all is not made (refused, and the refusal logged).
    if (parts !== undefined && !carriesParts(message.text, parts))
      return this.outcomes.suppressed(row, SuppressionReason.NoticeUnavailable, channel);
    try {
      await this.channels[channel].send({
        notificationId: row.id,
        to: contact.address,
        subject: message.subject,
        text: message.text,
      });
    } catch (error) {
      await this.retries.afterFailure(row, asDeliveryError(error), channel, this.settings.delivery);
      return;
    }
    const sha256 = contentHash(message.text, message.subject);
    await this.outcomes.sent(
      row,
      channel,
      message.templateId,
      async (tx) => {
        if (row.requires_ack && row.escalate_at === null)
          await this.deliveries.armEscalation(
            tx.manager,
            row.id,
            new Date(this.clock.now().getTime() + this.settings.escalationSeconds * 1000),
          );
        if (cleared !== undefined)
          await this.disclosure.record(tx, row, { cleared, channel, contentSha256: sha256 });
      },
      { sha256, ...(cleared === undefined ? {} : { noticeVersion: cleared.notice.version }) },
    );
  }

  private lookup(row: NotificationRow, channel: ContactChannel): Promise<Contact | undefined> {
    if (row.recipient_kind === 'staff') return this.contacts.staff(row.recipient_id, channel);
    if (row.recipient_kind === 'family')
      return this.contacts.familyMember(row.client_id ?? '', row.recipient_id, channel);
    return this.contacts.client(row.recipient_id, channel);
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
    return params;
  }
}
