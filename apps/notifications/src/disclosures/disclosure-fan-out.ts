import { Inject, Injectable } from '@nestjs/common';
import {
  type CareEvent,
  ConsentPurpose,
  type DisclosedCategory,
  type EventTypeName,
  isConsentEvent,
  NotificationRecipientKind,
  RecipientKind,
  SuppressionReason,
  WEBHOOK_EVENT_TYPES,
  type WebhookEventType,
  webhookDisclosureOf,
} from '@stepwise/contracts';
import { type Transaction } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { DeliveryObserver } from '../delivery/delivery-observer';
import { NotificationTimers } from '../timers/notification-timers';
import {
  type DisclosureRecords,
  DisclosuresRepository,
  type LocalConsent,
  type SubscriptionRow,
  type SuppressedDelivery,
} from './disclosures.repository';

/**
 * What kind of information each care event discloses (the consent's information categories): the webhook
 * contract's declaration (`WEBHOOK_EVENTS` in libs/contracts), the one place it is made.
 */
export const DISCLOSURE_CATEGORIES = {
  byEvent: Object.fromEntries(
    WEBHOOK_EVENT_TYPES.map((type) => [type, webhookDisclosureOf(type).category]),
  ) as Readonly<Record<WebhookEventType, DisclosedCategory>>,
  /** Facts a family member with a family-involvement consent is told about (not every care event). */
  familyUpdates: ['ClientAdmitted', 'SessionMissed', 'LevelOfCareChanged', 'ClientDischarged'],
} as const;

/** The care events that may be disclosed: every type an outside system may subscribe to. */
export type DisclosableEvent = WebhookEventType;

/** A subscriber the event may go to, and the consent it would go under (none: suppressed `no-consent`). */
interface Addressee {
  readonly subscription: SubscriptionRow;
  readonly consent: LocalConsent | undefined;
}

/**
 * Disclosures a care event may cause: a signed webhook to each subscriber of its type, and an update to each
 * family member, each only under an active consent (this service's projection) for that recipient, purpose and
 * information category. Consent is checked again when the disclosure is sent. A subscriber without consent
 * gets nothing, recorded as suppressed `no-consent` and counted in `stepwise_notifications_total`. An event about
 * a consent (granted, revoked) goes only to the subscribers of the recipient it names, under that consent.
 */
@Injectable()
export class DisclosureFanOut {
  constructor(
    private readonly clock: Clock,
    private readonly timers: NotificationTimers,
    @Inject(DisclosuresRepository) private readonly disclosures: DisclosureRecords,
    private readonly observer: DeliveryObserver,
  ) {}

  async fanOut(event: CareEvent<DisclosableEvent>, tx: Transaction): Promise<void> {
    const category = DISCLOSURE_CATEGORIES.byEvent[event.type];
    const data = event.data as { clientId: string; siteId?: string };
    const now = this.clock.now();
    // The event's CloudEvents attributes, so the webhook body carries the same ones as Kafka.
    const base = {
      eventType: event.type,
      ceType: event.ceType,
      subject: event.key,
      occurredAt: event.time,
      category,
      event: JSON.stringify(event.data),
    };
    const { siteId, addressees } = isConsentEvent(event.type)
      ? await this.namedRecipient(event, tx)
      : { siteId: data.siteId, addressees: await this.consentedSubscribers(event, tx, category, now) };
    for (const { subscription, consent } of addressees) {
      const spec = {
        dedupeKey: `webhook:${subscription.id}:${event.id}`,
        kind: 'webhook' as const,
        triggerEventId: event.id,
        recipientId: subscription.id,
        recipientKind: 'system' as const,
        clientId: data.clientId,
        ...(siteId === undefined ? {} : { siteId }),
        channel: 'webhook' as const,
        subscriptionId: subscription.id,
        dueAt: now,
      };
      const disabled = subscription.status !== 'active';
      if (consent === undefined) {
        if (!disabled) await this.suppressNoConsent(tx, spec, now);
        continue;
      }
      const delivery = {
        ...spec,
        params: {
          ...base,
          consentId: consent.consentId,
          purpose: consent.purpose,
          consentRecipientId: subscription.organisation_id,
        },
      };
      // A disabled subscription is not sent to, but what it misses is kept, for catching up once re-enabled.
      if (disabled) {
        await this.disclosures.missed(tx.manager, delivery, now);
        continue;
      }
      const id = await this.disclosures.queue(tx.manager, delivery, now);
      if (id !== undefined) await this.timers.schedule(id, now);
    }
    if ((DISCLOSURE_CATEGORIES.familyUpdates as readonly EventTypeName[]).includes(event.type))
      await this.familyUpdates(event, tx, category, data, base);
  }

  /** The event's network's subscribers, each with the client's active consent covering the event, if any. */
  private async consentedSubscribers(
    event: CareEvent<DisclosableEvent>,
    tx: Transaction,
    category: DisclosedCategory,
    now: Date,
  ): Promise<Addressee[]> {
    const { clientId } = event.data as { clientId: string };
    const addressees: Addressee[] = [];
    for (const subscription of await this.subscribersInNetwork(event, tx)) {
      const consent = await this.disclosures.activeConsent(
        tx.manager,
        {
          clientId,
          recipientKind: subscription.recipient_kind,
          recipientId: subscription.organisation_id,
          category,
          purposes: subscription.purposes,
        },
        now,
      );
      addressees.push({ subscription, consent });
    }
    return addressees;
  }

  /**
   * An event about a consent goes to the subscribers, in the client's network, of the organisation the consent
   * names (as that kind of recipient), under the consent itself for one of its purposes — revoked or not: the
   * revocation is the notice that it ended (the send-time check lets it through, `outlivesConsent`). The event
   * names no site: the client's network is that of their latest episode here. A client not admitted yet (a
   * consent given at intake) is no network's client: nobody is told.
   */
  private async namedRecipient(
    event: CareEvent<DisclosableEvent>,
    tx: Transaction,
  ): Promise<{ siteId: string | undefined; addressees: Addressee[] }> {
    const none = { siteId: undefined, addressees: [] };
    const subscriptions = await this.disclosures.subscriptionsTo(tx.manager, event.type);
    if (subscriptions.length === 0) return none;
    const { consentId, clientId } = event.data as { consentId: string; clientId: string };
    const consent = await this.disclosures.namedConsent(consentId, tx.manager);
    const place = await this.disclosures.clientPlace(tx.manager, clientId);
    if (consent === undefined || place === undefined) return none;
    const addressees = subscriptions
      .filter(
        (subscription) =>
          subscription.network_id === place.networkId &&
          subscription.organisation_id === consent.recipientId &&
          subscription.recipient_kind === consent.recipientKind,
      )
      .map((subscription) => {
        const purpose = consent.purposes.find((p) => subscription.purposes.includes(p));
        return { subscription, consent: purpose === undefined ? undefined : { consentId, purpose } };
      });
    return { siteId: place.siteId, addressees };
  }

  /**
   * The subscribers to the event's type registered in the event's network. One deployment serves several
   * networks: a subscription belongs to the network of the admin who registered it, and an event to its site's
   * network, so a consent a client of one network gave an organisation never lets another network's
   * subscription (whatever organisation it names) receive that client's information. An event whose site's
   * network is not known yet fails, to be retried and dead-lettered for replay, rather than sent or dropped.
   */
  private async subscribersInNetwork(
    event: CareEvent<DisclosableEvent>,
    tx: Transaction,
  ): Promise<SubscriptionRow[]> {
    const subscriptions = await this.disclosures.subscriptionsTo(tx.manager, event.type);
    if (subscriptions.length === 0) return [];
    // Every disclosable event names its site (a test of this service checks the contract says so).
    const { siteId } = event.data as { siteId: string };
    const network = await this.disclosures.siteNetwork(tx.manager, siteId);
    if (network === undefined)
      throw new Error(
        `The network of ${event.type} ${event.id} is not known yet (its site is not projected): not disclosed`,
      );
    return subscriptions.filter((subscription) => subscription.network_id === network);
  }

  private async familyUpdates(
    event: CareEvent<DisclosableEvent>,
    tx: Transaction,
    category: DisclosedCategory,
    data: { clientId: string; siteId?: string },
    base: Record<string, string>,
  ): Promise<void> {
    const now = this.clock.now();
    const consents = await this.disclosures.familyConsents(tx.manager, data.clientId, category, now);
    for (const consent of consents) {
      const id = await this.disclosures.queue(
        tx.manager,
        {
          dedupeKey: `family:${event.id}:${consent.recipient_id}`,
          kind: 'family-update',
          triggerEventId: event.id,
          recipientId: consent.recipient_id,
          recipientKind: 'family',
          clientId: data.clientId,
          ...(data.siteId === undefined ? {} : { siteId: data.siteId }),
          templateCode: 'family-update',
          params: {
            ...base,
            event: '{}',
            consentId: consent.consent_id,
            purpose: ConsentPurpose.FamilyInvolvement,
            consentRecipientId: consent.recipient_id,
            consentRecipientKind: RecipientKind.FamilyMember,
          },
          dueAt: now,
        },
        now,
      );
      if (id !== undefined) await this.timers.schedule(id, now);
    }
  }

  /**
   * A subscriber without consent gets nothing: the delivery is recorded as suppressed, reported, and counted.
   * Counted after the consumer's transaction commits and only when the row is new, so a rolled-back or retried
   * transaction, a redelivered event (the inbox skips it) and a re-run fan-out count nothing.
   */
  private async suppressNoConsent(tx: Transaction, delivery: SuppressedDelivery, now: Date): Promise<void> {
    const id = await this.disclosures.suppressNoConsent(tx.manager, delivery, now);
    if (id === undefined) return;
    // The repository stores it as a `webhook` notification on the `webhook` channel.
    tx.afterCommit(() =>
      this.observer.outcome('webhook', 'webhook', 'suppressed', SuppressionReason.NoConsent),
    );
    await tx.publish('NotificationSuppressed', {
      notificationId: id,
      recipientId: delivery.recipientId,
      recipientKind: NotificationRecipientKind.System,
      triggerEventId: delivery.triggerEventId,
      reason: SuppressionReason.NoConsent,
      suppressedAt: now.toISOString(),
    });
  }
}
