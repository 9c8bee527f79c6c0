import { randomUUID } from 'node:crypto';
import { type EntityManager } from 'typeorm';
import { NOTIFICATIONS_SCHEMA } from '../notifications.schema';

export const T = (table: string): string => `"${NOTIFICATIONS_SCHEMA}"."${table}"`;

export type NotificationKind = 'reminder' | 'alert' | 'escalation' | 'family-update' | 'webhook';
export type NotificationStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'suppressed' | 'cancelled';
export type RecipientKindName = 'client' | 'family' | 'staff' | 'system';
export type ChannelName = 'email' | 'sms' | 'webhook';

/** A row of the notification work table: what to send to whom, when, and where it stands. No contact data. */
export interface NotificationRow {
  id: string;
  dedupe_key: string;
  kind: NotificationKind;
  trigger_event_id: string;
  recipient_id: string;
  recipient_kind: RecipientKindName;
  client_id: string | null;
  site_id: string | null;
  channel: ChannelName | null;
  template_code: string | null;
  params: Record<string, string>;
  urgent: boolean;
  appointment_id: string | null;
  status: NotificationStatus;
  reason: string | null;
  attempts: number;
  due_at: Date;
  requires_ack: boolean;
  acknowledged_at: Date | null;
  escalate_at: Date | null;
  escalated_at: Date | null;
  subscription_id: string | null;
}

export interface NewNotification {
  readonly dedupeKey: string;
  readonly kind: NotificationKind;
  readonly triggerEventId: string;
  readonly recipientId: string;
  readonly recipientKind: RecipientKindName;
  readonly clientId?: string;
  readonly siteId?: string;
  readonly channel?: ChannelName;
  readonly templateCode?: string;
  /** Ids, codes and instants only: rendered into the template at send time. */
  readonly params?: Record<string, string>;
  readonly urgent?: boolean;
  readonly requiresAck?: boolean;
  readonly appointmentId?: string;
  readonly subscriptionId?: string;
  readonly dueAt: Date;
}

/** Appends one step of a notification's history (queued, deferred, retrying, sent, failed, suppressed…). */
export async function logStep(
  manager: EntityManager,
  notificationId: string,
  status: string,
  options: { reason?: string | null; channel?: string | null; attempt?: number; at: Date },
): Promise<void> {
  await manager.query(
    `INSERT INTO ${T('notification_log')} (notification_id, status, reason, channel, attempt, at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      notificationId,
      status,
      options.reason ?? null,
      options.channel ?? null,
      options.attempt ?? 0,
      options.at,
    ],
  );
}

/**
 * Queues a notification once: the dedupe key (unique in Postgres) makes a redelivered or replayed event, or a
 * second replica handling the same fact, a no-op. Returns the new row's id, or undefined when it existed.
 */
export async function queueNotification(
  manager: EntityManager,
  spec: NewNotification,
  now: Date,
): Promise<string | undefined> {
  const id = randomUUID();
  const rows = await manager.query<{ id: string }[]>(
    `INSERT INTO ${T('notifications')} (id, dedupe_key, kind, trigger_event_id, recipient_id, recipient_kind,
        client_id, site_id, channel, template_code, params, urgent, requires_ack, appointment_id, subscription_id,
        status, due_at, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'queued', $16, $17, $17)
     ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
    [
      id,
      spec.dedupeKey,
      spec.kind,
      spec.triggerEventId,
      spec.recipientId,
      spec.recipientKind,
      spec.clientId ?? null,
      spec.siteId ?? null,
      spec.channel ?? null,
      spec.templateCode ?? null,
      JSON.stringify(spec.params ?? {}),
      spec.urgent ?? false,
      spec.requiresAck ?? false,
      spec.appointmentId ?? null,
      spec.subscriptionId ?? null,
      spec.dueAt,
      now,
    ],
  );
  if (rows.length === 0) return undefined;
  await logStep(manager, id, 'queued', { channel: spec.channel ?? null, at: now });
  return id;
}

const COLUMNS = `id, dedupe_key, kind, trigger_event_id, recipient_id, recipient_kind, client_id, site_id, channel,
  template_code, params, urgent, appointment_id, status, reason, attempts, due_at, requires_ack, acknowledged_at,
  escalate_at, escalated_at, subscription_id`;

/**
 * Claims due notifications for this replica: `FOR UPDATE SKIP LOCKED` hands each row to exactly one claimer,
 * and the status change to `sending` commits before anything is sent, so another replica (or a timer firing
 * twice) never picks it up again. A claim older than the lease (its replica died mid-send) is taken over.
 */
export async function claimDue(
  manager: EntityManager,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<NotificationRow[]> {
  const [rows] = await manager.query<[NotificationRow[], number]>(
    `UPDATE ${T('notifications')} n SET status = 'sending', claimed_at = $1, attempts = n.attempts + 1, updated_at = $1
       FROM (SELECT id FROM ${T('notifications')}
              WHERE (status = 'queued' AND due_at <= $1) OR (status = 'sending' AND claimed_at < $2)
              ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED) due
      WHERE n.id = due.id
      RETURNING ${COLUMNS.split(',')
        .map((c) => `n.${c.trim()}`)
        .join(', ')}`,
    [now, new Date(now.getTime() - leaseMs), limit],
  );
  return rows;
}

/** Queued rows still in the future: what the Redis timers must hold (rebuilt from here at start and after loss). */
export async function pendingTimers(manager: EntityManager): Promise<{ id: string; due_at: Date }[]> {
  return manager.query(
    `SELECT id, due_at FROM ${T('notifications')} WHERE status = 'queued' ORDER BY due_at`,
  );
}

export async function loadNotification(
  manager: EntityManager,
  id: string,
): Promise<NotificationRow | undefined> {
  const [row] = await manager.query<NotificationRow[]>(
    `SELECT ${COLUMNS} FROM ${T('notifications')} WHERE id = $1`,
    [id],
  );
  return row;
}
