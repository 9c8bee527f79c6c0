import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConsentPurpose, RecipientKind, SuppressionReason } from '@stepwise/contracts';
import { type CursorKey, timestampKey } from '@stepwise/security';
import { DataSource, type EntityManager } from 'typeorm';
import { logStep, queueNotification } from '../delivery/delivery.repository';
import { type NewNotification, T } from '../delivery/notification-store';

export interface DisclosureRow {
  id: string;
  site_id: string | null;
  recipient_kind: string;
  recipient_id: string;
  consent_id: string;
  purpose: string;
  category: string;
  event_type: string;
  notice_version: string;
  channel: string | null;
  content_sha256: string | null;
  redisclosure_version: string | null;
  consent_scope: DisclosedScope | null;
  disclosed_at: Date;
  disclosed_key: string;
}

/** The consent's scope as a disclosure carried it: codes and dates only. */
export interface DisclosedScope {
  readonly informationCategories: readonly string[];
  readonly purposes: readonly string[];
  readonly expiresAt: string;
  readonly expiresOnEvent: string | null;
}

/** Whose disclosures a caller may see: all of the network's, or those made at the caller's sites. */
export interface DisclosureScope {
  readonly networkWide: boolean;
  readonly sites: readonly string[];
}

/** A webhook subscription as the fan-out reads it. */
export interface SubscriptionRow {
  readonly id: string;
  /** A disabled one still has what it misses recorded (withheld as `subscription-disabled`), for catching up. */
  readonly status: string;
  /** The network whose admin registered it: it receives that network's events only (null: none, nothing). */
  readonly network_id: string | null;
  readonly organisation_id: string;
  readonly recipient_kind: string;
  readonly purposes: string[];
}

/** A webhook subscription as a delivery reads it. */
export interface SubscriptionTarget {
  readonly id: string;
  readonly organisation_id: string;
  readonly recipient_kind: string;
  readonly url: string;
  /** cloudevents-json or fhir-r4: what the CloudEvent carries as data. */
  readonly payload_format: string;
  /** The secrets to sign with: the current one, and the previous one during a rotation's overlap window. */
  readonly secrets: string[];
  readonly status: string;
}

/** Whose consent a disclosure looks for: the client's, for a recipient and an information category. */
export interface ConsentQuery {
  readonly clientId: string;
  readonly recipientKind: string;
  readonly recipientId: string;
  readonly category: string;
  readonly purposes: readonly string[];
}

/** A consent as this service's projection holds it, whatever its state: the party it names and its scope. */
export interface NamedConsent {
  readonly consentId: string;
  readonly clientId: string;
  readonly recipientKind: string;
  readonly recipientId: string;
  readonly purposes: readonly string[];
  readonly categories: readonly string[];
  readonly expiresAt: Date;
}

/** Where a client is treated now: the site of their latest episode, and its network. */
export interface ClientPlace {
  readonly siteId: string;
  readonly networkId: string;
}

export interface LocalConsent {
  readonly consentId: string;
  readonly purpose: string;
}

/** A family member's active family-involvement consent. */
export interface FamilyConsent {
  readonly consent_id: string;
  readonly recipient_id: string;
}

/** One disclosure made, for the accounting of disclosures. */
export interface DisclosureRecord {
  readonly notificationId: string;
  readonly clientId: string | null;
  readonly siteId: string | null;
  readonly recipientKind: string;
  readonly recipientId: string;
  readonly consentId: string | undefined;
  readonly purpose: string | undefined;
  readonly category: string | undefined;
  readonly eventType: string | undefined;
  readonly noticeVersion: string;
  /** How it left, and the SHA-256 of exactly what left (the rendered message or the webhook body). */
  readonly channel: string;
  readonly contentSha256: string;
  readonly redisclosureVersion: string;
  readonly scope: DisclosedScope;
  readonly disclosedAt: Date;
}

/** A webhook delivery that was not made for want of consent, recorded as suppressed. */
export interface SuppressedDelivery {
  readonly dedupeKey: string;
  readonly triggerEventId: string;
  readonly recipientId: string;
  readonly clientId: string;
  readonly subscriptionId: string;
}

/**
 * Disclosures' SQL: this service's projection of consents, the webhook subscriptions as deliveries use them,
 * the disclosure notifications queued, and the accounting of disclosures (`disclosures`) written and read back.
 */
@Injectable()
export class DisclosuresRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * A client's disclosures of the last 3 years within `scope`, oldest first, after the keyset position `after`
   * (disclosed_key, id): `limit` rows and one more, which tells that another page follows.
   */
  accounting(
    clientId: string,
    scope: DisclosureScope,
    limit: number,
    after: CursorKey | undefined,
  ): Promise<DisclosureRow[]> {
    return this.dataSource.query<DisclosureRow[]>(
      `SELECT id, site_id, recipient_kind, recipient_id, consent_id, purpose, category, event_type, notice_version,
              channel, content_sha256, redisclosure_version, consent_scope, disclosed_at, ${timestampKey('disclosed_at')} AS disclosed_key
         FROM ${T('disclosures')}
        WHERE client_id = $1 AND disclosed_at >= now() - interval '3 years'
          AND ($3::boolean OR site_id = ANY($4::uuid[]))
          ${after === undefined ? '' : 'AND (disclosed_at, id) > ($5::timestamptz, $6::uuid)'}
        ORDER BY disclosed_at, id LIMIT $2`,
      [
        clientId,
        limit + 1,
        scope.networkWide,
        scope.sites,
        ...(after === undefined ? [] : [String(after[0]), String(after[1])]),
      ],
    );
  }

  /** The subscriptions to `eventType`, active or disabled, in id order. */
  subscriptionsTo(manager: EntityManager, eventType: string): Promise<SubscriptionRow[]> {
    return manager.query<SubscriptionRow[]>(
      `SELECT id, status, network_id, organisation_id, recipient_kind, purposes FROM ${T('webhook_subscriptions')}
        WHERE $1 = ANY(event_types) ORDER BY id`,
      [eventType],
    );
  }

  /** The network of a site; undefined while its SiteUpserted has not been projected yet. */
  async siteNetwork(manager: EntityManager, siteId: string): Promise<string | undefined> {
    const [row] = await manager.query<{ network_id: string }[]>(
      `SELECT network_id FROM ${T('sites')} WHERE site_id = $1`,
      [siteId],
    );
    return row?.network_id;
  }

  /** A consent as projected, revoked or not; undefined while its ConsentGranted has not been projected. */
  async namedConsent(
    consentId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<NamedConsent | undefined> {
    const [row] = await manager.query<
      {
        client_id: string;
        recipient_kind: string;
        recipient_id: string;
        purposes: string[];
        categories: string[];
        expires_at: Date;
      }[]
    >(
      `SELECT client_id, recipient_kind, recipient_id, purposes, categories, expires_at FROM ${T('consents')}
        WHERE consent_id = $1`,
      [consentId],
    );
    return row === undefined
      ? undefined
      : {
          consentId,
          clientId: row.client_id,
          recipientKind: row.recipient_kind,
          recipientId: row.recipient_id,
          purposes: row.purposes,
          categories: row.categories,
          expiresAt: row.expires_at,
        };
  }

  /**
   * The site of the client's latest episode (by admission or transfer) and that site's network; undefined for a
   * client not admitted yet, or whose site is not projected yet.
   */
  async clientPlace(manager: EntityManager, clientId: string): Promise<ClientPlace | undefined> {
    const [row] = await manager.query<{ site_id: string; network_id: string }[]>(
      `SELECT e.site_id, s.network_id FROM ${T('episodes')} e JOIN ${T('sites')} s ON s.site_id = e.site_id
        WHERE e.client_id = $1
        ORDER BY GREATEST(e.admitted_at, e.transferred_at) DESC NULLS LAST, e.episode_id DESC LIMIT 1`,
      [clientId],
    );
    return row === undefined ? undefined : { siteId: row.site_id, networkId: row.network_id };
  }

  /** An active consent (granted, not revoked, not expired at `at`) for one of the query's purposes. */
  async activeConsent(
    manager: EntityManager,
    query: ConsentQuery,
    at: Date,
  ): Promise<LocalConsent | undefined> {
    const [row] = await manager.query<{ consent_id: string; purpose: string }[]>(
      `SELECT consent_id, (SELECT p FROM unnest(purposes) p WHERE p = ANY($5::text[]) LIMIT 1) AS purpose
         FROM ${T('consents')}
        WHERE client_id = $1 AND recipient_id = $2 AND recipient_kind = $3 AND $4 = ANY(categories)
          AND purposes && $5::text[] AND revoked_at IS NULL AND granted_at <= $6 AND expires_at > $6
        ORDER BY granted_at DESC LIMIT 1`,
      [query.clientId, query.recipientId, query.recipientKind, query.category, query.purposes, at],
    );
    return row === undefined ? undefined : { consentId: row.consent_id, purpose: row.purpose };
  }

  /** The family members with an active family-involvement consent for `category`, in id order. */
  familyConsents(
    manager: EntityManager,
    clientId: string,
    category: string,
    at: Date,
  ): Promise<FamilyConsent[]> {
    return manager.query<FamilyConsent[]>(
      `SELECT consent_id, recipient_id FROM ${T('consents')}
        WHERE client_id = $1 AND recipient_kind = $2 AND $3 = ANY(purposes) AND $4 = ANY(categories)
          AND revoked_at IS NULL AND granted_at <= $5 AND expires_at > $5 ORDER BY recipient_id`,
      [clientId, RecipientKind.FamilyMember, ConsentPurpose.FamilyInvolvement, category, at],
    );
  }

  /** Whether the consent is still active at `at` (not revoked, not expired; unknown is not active). */
  async consentActive(consentId: string, at: Date): Promise<boolean> {
    const [row] = await this.dataSource.query<{ active: boolean }[]>(
      `SELECT (revoked_at IS NULL AND expires_at > $2) AS active FROM ${T('consents')} WHERE consent_id = $1`,
      [consentId, at],
    );
    return row?.active === true;
  }

  queue(manager: EntityManager, spec: NewNotification, now: Date): Promise<string | undefined> {
    return queueNotification(manager, spec, now);
  }

  /** Records a webhook delivery suppressed for want of consent, once; its id, or undefined when it existed. */
  async suppressNoConsent(
    manager: EntityManager,
    delivery: SuppressedDelivery,
    now: Date,
  ): Promise<string | undefined> {
    const id = randomUUID();
    const inserted = await manager.query<unknown[]>(
      `INSERT INTO ${T('notifications')} (id, dedupe_key, kind, trigger_event_id, recipient_id, recipient_kind, client_id,
          channel, subscription_id, status, reason, due_at, created_at, updated_at)
       VALUES ($1, $2, 'webhook', $3, $4, 'system', $5, 'webhook', $6, 'suppressed', $7, $8, $8, $8)
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [
        id,
        delivery.dedupeKey,
        delivery.triggerEventId,
        delivery.recipientId,
        delivery.clientId,
        delivery.subscriptionId,
        SuppressionReason.NoConsent,
        now,
      ],
    );
    if (inserted.length === 0) return undefined;
    await logStep(manager, id, 'suppressed', {
      reason: SuppressionReason.NoConsent,
      channel: 'webhook',
      at: now,
    });
    return id;
  }

  /** The subscription as a delivery at `at` uses it: the previous secret only while its overlap lasts. */
  async subscription(id: string | null, at: Date): Promise<SubscriptionTarget | undefined> {
    const [subscription] = await this.dataSource.query<SubscriptionTarget[]>(
      `SELECT id, organisation_id, recipient_kind, url, status, payload_format,
              CASE WHEN previous_secret IS NOT NULL AND previous_secret_expires_at > $2
                   THEN ARRAY[secret, previous_secret] ELSE ARRAY[secret] END AS secrets
         FROM ${T('webhook_subscriptions')} WHERE id = $1`,
      [id, at],
    );
    return subscription;
  }

  /**
   * Records a withheld delivery for a disabled subscription (queued, then at once `cancelled` as
   * `subscription-disabled`): what it missed, which re-enabling it with catch-up delivers.
   */
  async missed(manager: EntityManager, spec: NewNotification, now: Date): Promise<void> {
    const id = await queueNotification(manager, spec, now);
    if (id === undefined) return;
    await manager.query(
      `UPDATE ${T('notifications')} SET status = 'cancelled', reason = 'subscription-disabled' WHERE id = $1`,
      [id],
    );
    await logStep(manager, id, 'cancelled', { reason: 'subscription-disabled', at: now });
  }

  /** A delivery to the subscription succeeded: its run of failures ends; what it missed is counted from here. */
  async subscriptionDelivered(manager: EntityManager, subscriptionId: string, at: Date): Promise<void> {
    await manager.query(
      `UPDATE ${T('webhook_subscriptions')} SET consecutive_failures = 0, last_delivered_at = $2 WHERE id = $1`,
      [subscriptionId, at],
    );
  }

  /**
   * A delivery failed for good: one more failure in a row; at `disableAfter` the subscription is disabled and
   * its other queued deliveries are withdrawn (`subscription-disabled`). Returns whether it is now disabled.
   */
  async subscriptionFailed(
    manager: EntityManager,
    subscriptionId: string,
    disableAfter: number,
    now: Date,
  ): Promise<boolean> {
    const [[row]] = await manager.query<[{ status: string }[], number]>(
      `UPDATE ${T('webhook_subscriptions')} SET consecutive_failures = consecutive_failures + 1,
          status = CASE WHEN consecutive_failures + 1 >= $2 THEN 'disabled' ELSE status END,
          disabled_at = CASE WHEN consecutive_failures + 1 >= $2 AND status = 'active' THEN $3 ELSE disabled_at END,
          disabled_reason = CASE WHEN consecutive_failures + 1 >= $2 AND status = 'active' THEN 'failures'
                                 ELSE disabled_reason END
        WHERE id = $1 RETURNING status`,
      [subscriptionId, disableAfter, now],
    );
    if (row?.status !== 'disabled') return false;
    const [cancelled] = await manager.query<[{ id: string }[], number]>(
      `UPDATE ${T('notifications')} SET status = 'cancelled', reason = 'subscription-disabled', updated_at = $2
        WHERE subscription_id = $1 AND status = 'queued' RETURNING id`,
      [subscriptionId, now],
    );
    for (const c of cancelled)
      await logStep(manager, c.id, 'cancelled', { reason: 'subscription-disabled', at: now });
    return true;
  }

  /** Accounts for a disclosure made (once per notification). */
  async recordDisclosure(manager: EntityManager, disclosure: DisclosureRecord): Promise<void> {
    await manager.query(
      `INSERT INTO ${T('disclosures')} (id, notification_id, client_id, site_id, recipient_kind, recipient_id, consent_id,
          purpose, category, event_type, notice_version, disclosed_at, channel, content_sha256, redisclosure_version,
          consent_scope)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
       ON CONFLICT (notification_id) DO NOTHING`,
      [
        randomUUID(),
        disclosure.notificationId,
        disclosure.clientId,
        disclosure.siteId,
        disclosure.recipientKind,
        disclosure.recipientId,
        disclosure.consentId,
        disclosure.purpose,
        disclosure.category,
        disclosure.eventType,
        disclosure.noticeVersion,
        disclosure.disclosedAt,
        disclosure.channel,
        disclosure.contentSha256,
        disclosure.redisclosureVersion,
        JSON.stringify(disclosure.scope),
      ],
    );
  }
}

/** What the fan-out and the sending of disclosures need of the repository (the accounting reads aside). */
export type DisclosureRecords = Omit<DisclosuresRepository, 'accounting'>;
