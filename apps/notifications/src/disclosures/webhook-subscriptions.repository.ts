import { Injectable } from '@nestjs/common';
import { type CursorKey, timestampKey } from '@stepwise/security';
import { DataSource } from 'typeorm';
import { T } from '../delivery/notification-store';
import { type CreateSubscriptionDto } from './webhook-subscriptions.dto';

/** A subscription to register: as the caller described it, with its id, network, secret and registrant. */
export interface NewSubscription extends CreateSubscriptionDto {
  readonly id: string;
  readonly networkId: string | null;
  readonly secret: string;
  readonly createdBy: string;
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

/** Webhook subscriptions of outside systems (`webhook_subscriptions`) and their deliveries: the HTTP side's SQL. */
@Injectable()
export class WebhookSubscriptionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(subscription: NewSubscription): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO ${T('webhook_subscriptions')} (id, network_id, organisation_id, recipient_kind, purposes, event_types, url,
          secret, status, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9)`,
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
      ],
    );
  }

  /** Disables a subscription of the network (again: no change); false when the network has no such subscription. */
  async disable(subscriptionId: string, networkId: string | null): Promise<boolean> {
    const [[row]] = await this.dataSource.query<[{ id: string }[], number]>(
      `UPDATE ${T('webhook_subscriptions')} SET status = 'disabled', disabled_at = COALESCE(disabled_at, now())
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
}
