import { Injectable } from '@nestjs/common';
import { WEBHOOK_EVENT_TYPES, type WebhookPayloadFormat, outlivesConsent } from '@stepwise/contracts';
import { type CursorKey, timestampKey } from '@stepwise/security';
import { DataSource, type EntityManager } from 'typeorm';
import { queueNotification, logStep } from '../delivery/delivery.repository';
import { type NewNotification, T } from '../delivery/notification-store';
import { heldBehindEarlier } from '../delivery/webhook-order';
import { type CreateSubscriptionDto } from './webhook-subscriptions.dto';

/** A subscription to register: as the caller described it, with its id, network, secret and registrant. */
export interface NewSubscription extends CreateSubscriptionDto {
  readonly id: string;
  readonly networkId: string | null;
  readonly secret: string;
  readonly createdBy: string;
  readonly payloadFormat: WebhookPayloadFormat;
}

export interface DeliveryRow {
  id: string;
  trigger_event_id: string;
  status: string;
  reason: string | null;
  attempts: number;
  created_at: Date;
  created_key: string;
}

/** A subscription as its network's admins see it listed: never its secrets. */
export interface SubscriptionListRow {
  id: string;
  organisation_id: string;
  recipient_kind: string;
  purposes: string[];
  event_types: string[];
  payload_format: string;
  url: string;
  status: string;
  disabled_reason: string | null;
  disabled_at: Date | null;
  consecutive_failures: number;
  last_delivered_at: Date | null;
  secret_rotated_at: Date | null;
  previous_secret_expires_at: Date | null;
  created_at: Date;
  created_key: string;
  pending: number;
  held: number;
}

/** A subscription of the caller's network, locked for a lifecycle change. */
export interface LockedSubscription {
  id: string;
  status: string;
}

/** A delivery a replay copies: the original's event, client and consent (params). */
export interface ReplaySource {
  trigger_event_id: string;
  client_id: string;
  site_id: string | null;
  params: Record<string, string>;
  consented: boolean;
}

/** One catch-up or replay asked for, as recorded. */
export interface ReplayRecord {
  readonly id: string;
  readonly subscriptionId: string;
  readonly kind: 'catch-up' | 'replay';
  readonly from: Date | null;
  readonly to: Date | null;
  readonly queued: number;
  readonly withheld: number;
  readonly requestedBy: string;
  readonly requestedAt: Date;
}

/** The event types delivered although their consent has ended (the notice that it did): the contract's list. */
const OUTLIVING_CONSENT = WEBHOOK_EVENT_TYPES.filter(outlivesConsent)
  .map((type) => `'${type}'`)
  .concat('NULL') // never an empty list
  .join(', ');

/**
 * The consent a delivery was queued under is still active at $2 (the projection: revocations heard of) — or the
 * delivery is the notice that it ended, which is sent although it has (send-time clearance decides, as always).
 */
const CONSENT_STILL_ACTIVE = `EXISTS (SELECT 1 FROM ${T('consents')} c
  WHERE c.consent_id::text = n.params->>'consentId'
    AND ((c.revoked_at IS NULL AND c.expires_at > $2) OR n.params->>'eventType' IN (${OUTLIVING_CONSENT})))`;

/** Webhook subscriptions of outside systems (`webhook_subscriptions`) and their deliveries: the HTTP side's SQL. */
@Injectable()
export class WebhookSubscriptionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(subscription: NewSubscription): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO ${T('webhook_subscriptions')} (id, network_id, organisation_id, recipient_kind, purposes, event_types, url,
          secret, status, created_by, payload_format)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9, $10)`,
      [
        subscription.id,
        subscription.networkId,
        subscription.organisationId,
        subscription.recipientKind,
        subscription.purposes,
        subscription.eventTypes,
        subscription.url,
        subscription.secret,
        subscription.createdBy,
        subscription.payloadFormat,
      ],
    );
  }

  /** Disables a subscription of the network (again: no change); false when the network has no such subscription. */
  async disable(subscriptionId: string, networkId: string | null): Promise<boolean> {
    const [[row]] = await this.dataSource.query<[{ id: string }[], number]>(
      `UPDATE ${T('webhook_subscriptions')} SET status = 'disabled', disabled_at = COALESCE(disabled_at, now()),
          disabled_reason = COALESCE(disabled_reason, 'administrator')
        WHERE id = $1 AND network_id IS NOT DISTINCT FROM $2 RETURNING id`,
      [subscriptionId, networkId],
    );
    return row !== undefined;
  }

  /** The subscription's network (null: registered without one); undefined when there is no such subscription. */
  async find(subscriptionId: string): Promise<{ network_id: string | null } | undefined> {
    const [subscription] = await this.dataSource.query<{ network_id: string | null }[]>(
      `SELECT network_id FROM ${T('webhook_subscriptions')} WHERE id = $1`,
      [subscriptionId],
    );
    return subscription;
  }

  /**
   * A subscription's deliveries, oldest first, after the keyset position `after` (created_key, id): `limit` rows
   * and one more, which tells that another page follows.
   */
  deliveries(subscriptionId: string, limit: number, after: CursorKey | undefined): Promise<DeliveryRow[]> {
    return this.dataSource.query<DeliveryRow[]>(
      `SELECT id, trigger_event_id, status, reason, attempts, created_at, ${timestampKey('created_at')} AS created_key
         FROM ${T('notifications')} WHERE subscription_id = $1
         ${after === undefined ? '' : 'AND (created_at, id) > ($3::timestamptz, $4::uuid)'}
        ORDER BY created_at, id LIMIT $2`,
      after === undefined
        ? [subscriptionId, limit + 1]
        : [subscriptionId, limit + 1, String(after[0]), String(after[1])],
    );
  }

  /**
   * The network's subscriptions, oldest first, after the keyset position `after` (created_key, id): `limit`
   * rows and one more. With each, its deliveries still pending and how many of them are held behind an earlier
   * one of their client (`heldBehindEarlier`).
   */
  list(networkId: string, limit: number, after: CursorKey | undefined): Promise<SubscriptionListRow[]> {
    return this.dataSource.query<SubscriptionListRow[]>(
      `SELECT s.id, s.organisation_id, s.recipient_kind, s.purposes, s.event_types, s.payload_format, s.url, s.status, s.disabled_reason,
              s.disabled_at, s.consecutive_failures, s.last_delivered_at, s.secret_rotated_at,
              s.previous_secret_expires_at, s.created_at, ${timestampKey('s.created_at')} AS created_key,
              (SELECT count(*)::int FROM ${T('notifications')} n
                WHERE n.subscription_id = s.id AND n.status IN ('queued', 'sending')) AS pending,
              (SELECT count(*)::int FROM ${T('notifications')} n
                WHERE n.subscription_id = s.id AND n.status = 'queued' AND ${heldBehindEarlier('n')}) AS held
         FROM ${T('webhook_subscriptions')} s WHERE s.network_id = $1
         ${after === undefined ? '' : 'AND (s.created_at, s.id) > ($3::timestamptz, $4::uuid)'}
        ORDER BY s.created_at, s.id LIMIT $2`,
      after === undefined
        ? [networkId, limit + 1]
        : [networkId, limit + 1, String(after[0]), String(after[1])],
    );
  }

  /** Locks a subscription of the network for a lifecycle change; undefined when the network has no such one. */
  async lock(
    manager: EntityManager,
    subscriptionId: string,
    networkId: string,
  ): Promise<LockedSubscription | undefined> {
    const [row] = await manager.query<LockedSubscription[]>(
      `SELECT id, status FROM ${T('webhook_subscriptions')} WHERE id = $1 AND network_id = $2 FOR UPDATE`,
      [subscriptionId, networkId],
    );
    return row;
  }

  /** The new secret signs from now; the previous one is sent alongside until `overlapUntil`. */
  async rotateSecret(
    manager: EntityManager,
    subscriptionId: string,
    secret: string,
    overlapUntil: Date,
    now: Date,
  ): Promise<void> {
    await manager.query(
      `UPDATE ${T('webhook_subscriptions')} SET previous_secret = secret, previous_secret_expires_at = $3,
          secret = $2, secret_rotated_at = $4 WHERE id = $1`,
      [subscriptionId, secret, overlapUntil, now],
    );
  }

  /** Active again, its run of failures forgotten. */
  async enable(manager: EntityManager, subscriptionId: string): Promise<void> {
    await manager.query(
      `UPDATE ${T('webhook_subscriptions')} SET status = 'active', consecutive_failures = 0, disabled_at = NULL,
          disabled_reason = NULL WHERE id = $1`,
      [subscriptionId],
    );
  }

  /**
   * What a disabled subscription missed: its deliveries withheld as `subscription-disabled` (queued when it was
   * disabled, or recorded by the fan-out while it was) and those that failed for good since its last successful
   * delivery (the run of failures that disabled it), in queue order — each with whether its consent still
   * holds at `now`.
   */
  missedDeliveries(
    manager: EntityManager,
    subscriptionId: string,
    now: Date,
  ): Promise<{ id: string; consented: boolean }[]> {
    return manager.query(
      `SELECT n.id, ${CONSENT_STILL_ACTIVE} AS consented
         FROM ${T('notifications')} n JOIN ${T('webhook_subscriptions')} s ON s.id = n.subscription_id
        WHERE n.subscription_id = $1 AND n.params ? 'consentId'
          AND ((n.status = 'cancelled' AND n.reason = 'subscription-disabled')
               OR (n.status = 'failed' AND (s.last_delivered_at IS NULL OR n.created_at >= s.last_delivered_at)))
        ORDER BY n.queue_seq`,
      [subscriptionId, now],
    );
  }

  /**
   * Queues missed deliveries again, in place (same id, same place in their client's order), due now and with
   * their attempts counted afresh; the delivery log says `queued` for `catch-up`.
   */
  async requeue(manager: EntityManager, ids: readonly string[], now: Date): Promise<void> {
    const [requeued] = await manager.query<[{ id: string }[], number]>(
      `UPDATE ${T('notifications')} SET status = 'queued', reason = NULL, attempts = 0, due_at = $2, claimed_at = NULL,
          updated_at = $2 WHERE id = ANY($1::uuid[]) AND status IN ('cancelled', 'failed') RETURNING id`,
      [ids, now],
    );
    for (const row of requeued)
      await logStep(manager, row.id, 'queued', { reason: 'catch-up', channel: 'webhook', at: now });
  }

  /**
   * The deliveries of events that happened in [from, to) a replay copies: the subscription's original ones
   * (replays aside) that carried an event under a consent, in queue order, each with whether that consent
   * still holds at `now`. At most `limit` rows.
   */
  replaySources(
    manager: EntityManager,
    subscriptionId: string,
    range: { from: Date; to: Date },
    now: Date,
    limit: number,
  ): Promise<ReplaySource[]> {
    return manager.query<ReplaySource[]>(
      `SELECT n.trigger_event_id, n.client_id, n.site_id, n.params, ${CONSENT_STILL_ACTIVE} AS consented
         FROM ${T('notifications')} n
        WHERE n.subscription_id = $1 AND n.kind = 'webhook' AND n.client_id IS NOT NULL
          AND n.params ? 'consentId' AND n.params ? 'occurredAt' AND NOT n.params ? 'replayId'
          AND (n.params->>'occurredAt')::timestamptz >= $3 AND (n.params->>'occurredAt')::timestamptz < $4
        ORDER BY n.queue_seq LIMIT $5`,
      [subscriptionId, now, range.from, range.to, limit],
    );
  }

  queue(manager: EntityManager, spec: NewNotification, now: Date): Promise<string | undefined> {
    return queueNotification(manager, spec, now);
  }

  async recordReplay(manager: EntityManager, replay: ReplayRecord): Promise<void> {
    await manager.query(
      `INSERT INTO ${T('webhook_replays')} (id, subscription_id, kind, range_from, range_to, queued, withheld,
          requested_by, requested_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        replay.id,
        replay.subscriptionId,
        replay.kind,
        replay.from,
        replay.to,
        replay.queued,
        replay.withheld,
        replay.requestedBy,
        replay.requestedAt,
      ],
    );
  }
}
