import { randomUUID } from 'node:crypto';
import { SuppressionReason } from '@stepwise/contracts';
import { type NewNotification } from '../delivery/notification-store';
import {
  type ConsentQuery,
  type DisclosureRecord,
  type DisclosureRecords,
  type FamilyConsent,
  type ClientPlace,
  type LocalConsent,
  type NamedConsent,
  type SubscriptionRow,
  type SubscriptionTarget,
  type SuppressedDelivery,
} from '../disclosures/disclosures.repository';
import { type NotificationTable } from './in-memory-notifications';

/** A consent as this service's projection of ConsentGranted / ConsentRevoked holds it. */
export interface StoredConsent {
  readonly consentId: string;
  readonly clientId: string;
  readonly recipientKind: string;
  readonly recipientId: string;
  readonly purposes: readonly string[];
  readonly categories: readonly string[];
  readonly grantedAt: Date;
  readonly expiresAt: Date;
  revokedAt: Date | null;
}

export type StoredSubscription = SubscriptionTarget &
  SubscriptionRow & { eventTypes: readonly string[]; failures: number };

/** Consents, webhook subscriptions and the accounting of disclosures, in memory. */
export class InMemoryDisclosures implements DisclosureRecords {
  readonly consents: StoredConsent[] = [];
  readonly subscriptions: StoredSubscription[] = [];
  readonly disclosed: DisclosureRecord[] = [];
  /** Site → network: the sites projection. */
  readonly siteNetworks = new Map<string, string>();

  constructor(readonly table: NotificationTable) {}

  /** Client → the site of their latest episode: the episodes projection. */
  readonly clientSites = new Map<string, string>();

  namedConsent(consentId: string): Promise<NamedConsent | undefined> {
    const consent = this.consents.find((c) => c.consentId === consentId);
    return Promise.resolve(consent);
  }

  clientPlace(_manager: unknown, clientId: string): Promise<ClientPlace | undefined> {
    const siteId = this.clientSites.get(clientId);
    const networkId = siteId === undefined ? undefined : this.siteNetworks.get(siteId);
    return Promise.resolve(
      siteId === undefined || networkId === undefined ? undefined : { siteId, networkId },
    );
  }

  siteNetwork(_manager: unknown, siteId: string): Promise<string | undefined> {
    return Promise.resolve(this.siteNetworks.get(siteId));
  }

  private active(consent: StoredConsent, at: Date): boolean {
    return consent.revokedAt === null && consent.grantedAt <= at && consent.expiresAt > at;
  }

  subscriptionsTo(_manager: unknown, eventType: string): Promise<SubscriptionRow[]> {
    return Promise.resolve(this.subscriptions.filter((s) => s.eventTypes.includes(eventType)));
  }

  activeConsent(_manager: unknown, query: ConsentQuery, at: Date): Promise<LocalConsent | undefined> {
    const consent = this.consents.find(
      (c) =>
        this.active(c, at) &&
        c.clientId === query.clientId &&
        c.recipientId === query.recipientId &&
        c.recipientKind === query.recipientKind &&
        c.categories.includes(query.category) &&
        c.purposes.some((p) => query.purposes.includes(p)),
    );
    const purpose = consent?.purposes.find((p) => query.purposes.includes(p));
    return Promise.resolve(
      consent && purpose !== undefined ? { consentId: consent.consentId, purpose } : undefined,
    );
  }

  familyConsents(_manager: unknown, clientId: string, category: string, at: Date): Promise<FamilyConsent[]> {
    return Promise.resolve(
      this.consents
        .filter(
          (c) =>
            this.active(c, at) &&
            c.clientId === clientId &&
            c.recipientKind === 'family-member' &&
            c.purposes.includes('family-involvement') &&
            c.categories.includes(category),
        )
        .map((c) => ({ consent_id: c.consentId, recipient_id: c.recipientId })),
    );
  }

  consentActive(consentId: string, at: Date): Promise<boolean> {
    const consent = this.consents.find((c) => c.consentId === consentId);
    return Promise.resolve(consent !== undefined && consent.revokedAt === null && consent.expiresAt > at);
  }

  queue(_manager: unknown, spec: NewNotification, now: Date): Promise<string | undefined> {
    return this.table.queue(spec, now);
  }

  async suppressNoConsent(
    _manager: unknown,
    delivery: SuppressedDelivery,
    now: Date,
  ): Promise<string | undefined> {
    const row = this.table.insert(
      { ...delivery, kind: 'webhook', recipientKind: 'system', channel: 'webhook', dueAt: now },
      'suppressed',
      SuppressionReason.NoConsent,
    );
    if (row === undefined) return undefined;
    await this.table.step(row.id, 'suppressed', { reason: SuppressionReason.NoConsent, at: now });
    return row.id;
  }

  subscription(id: string | null): Promise<SubscriptionTarget | undefined> {
    return Promise.resolve(this.subscriptions.find((s) => s.id === id));
  }

  async missed(_manager: unknown, spec: NewNotification, now: Date): Promise<void> {
    const id = await this.table.queue(spec, now);
    if (id === undefined) return;
    Object.assign(this.table.byId(id) ?? {}, { status: 'cancelled', reason: 'subscription-disabled' });
    await this.table.step(id, 'cancelled', { reason: 'subscription-disabled', at: now });
  }

  subscriptionDelivered(_manager: unknown, subscriptionId: string): Promise<void> {
    Object.assign(this.subscriptions.find((s) => s.id === subscriptionId) ?? {}, { failures: 0 });
    return Promise.resolve();
  }

  async subscriptionFailed(
    _manager: unknown,
    subscriptionId: string,
    disableAfter: number,
    now: Date,
  ): Promise<boolean> {
    const subscription = this.subscriptions.find((s) => s.id === subscriptionId);
    if (subscription === undefined) return false;
    subscription.failures += 1;
    if (subscription.failures < disableAfter) return false;
    Object.assign(subscription, { status: 'disabled' });
    for (const row of this.table.rows())
      if (row.subscription_id === subscriptionId && row.status === 'queued') {
        Object.assign(row, { status: 'cancelled', reason: 'subscription-disabled' });
        await this.table.step(row.id, 'cancelled', { reason: 'subscription-disabled', at: now });
      }
    return true;
  }

  recordDisclosure(_manager: unknown, disclosure: DisclosureRecord): Promise<void> {
    if (!this.disclosed.some((d) => d.notificationId === disclosure.notificationId))
      this.disclosed.push(disclosure);
    return Promise.resolve();
  }
}

/** An active consent (granted in 2025, expiring in 2026) of `clientId`, with `overrides`. */
export function storedConsent(
  clientId: string,
  overrides: Partial<StoredConsent> & Pick<StoredConsent, 'recipientKind' | 'recipientId'>,
): StoredConsent {
  return {
    consentId: randomUUID(),
    clientId,
    purposes: [],
    categories: [],
    grantedAt: new Date('2025-01-01T00:00:00Z'),
    expiresAt: new Date('2026-01-01T00:00:00Z'),
    revokedAt: null,
    ...overrides,
  };
}

/** An active subscription of a provider organisation, its last delivery failed, with `overrides`. */
export function storedSubscription(overrides: Partial<StoredSubscription>): StoredSubscription {
  return {
    id: randomUUID(),
    organisation_id: randomUUID(),
    network_id: null,
    recipient_kind: 'provider-organization',
    purposes: [],
    eventTypes: [],
    url: 'https://receiver.example.test/hook',
    secrets: ['secret'],
    payload_format: 'cloudevents-json',
    status: 'active',
    failures: 1,
    ...overrides,
  };
}
