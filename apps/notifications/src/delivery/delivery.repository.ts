import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type ChannelName, type NewNotification, type NotificationRow, T } from './notification-store';
import { heldBehindEarlier } from './webhook-order';

/** One step of a notification's history, as its delivery log records it. */
export interface LogStep {
  readonly reason?: string | null;
  readonly channel?: string | null;
  readonly attempt?: number;
  /** Of a "sent" step: the SHA-256 of exactly what was sent, and the §2.32 notice version it carried. */
  readonly contentSha256?: string | null;
  readonly noticeVersion?: string | null;
  readonly at: Date;
}

/** Appends one step of a notification's history (queued, deferred, retrying, sent, failed, suppressed…). */
export async function logStep(
  manager: EntityManager,
  notificationId: string,
  status: string,
  options: LogStep,
): Promise<void> {
  await manager.query(
    `INSERT INTO ${T('notification_log')} (notification_id, status, reason, channel, attempt, at, content_sha256,
        notice_version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      notificationId,
      status,
      options.reason ?? null,
      options.channel ?? null,
      options.attempt ?? 0,
      options.at,
      options.contentSha256 ?? null,
      options.noticeVersion ?? null,
    ],
  );
}

/**
 * Queues a notification once: the dedupe key (unique in Postgres) makes a redelivered or replayed event, or a
 * second replica handling the same fact, a no-op. Returns the new row's id, or undefined when it existed.
 * Every feature queues through here (its repository's `queue`), so there is one INSERT of the work table.
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
        subject_key, status, due_at, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $18, 'queued', $16, $17, $17)
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
      spec.subjectKey ?? null,
    ],
  );
  if (rows.length === 0) return undefined;
  await logStep(manager, id, 'queued', { channel: spec.channel ?? null, at: now });
  return id;
}

const COLUMNS = `id, dedupe_key, kind, trigger_event_id, recipient_id, recipient_kind, client_id, site_id, channel,
  template_code, params, urgent, appointment_id, status, reason, attempts, due_at, requires_ack, acknowledged_at,
  escalate_at, escalated_at, subscription_id, subject_key, withdrawn_at`;

/** Ends a claimed attempt, only while the claim still holds; whether it did. */
async function release(
  manager: EntityManager,
  id: string,
  now: Date,
  set: string,
  params: unknown[],
): Promise<boolean> {
  const [, count] = await manager.query<[unknown[], number]>(
    `UPDATE ${T('notifications')} SET ${set}, updated_at = $2 WHERE id = $1 AND status = 'sending'`,
    [id, now, ...params],
  );
  return count === 1;
}

/**
 * The sending side of the notification work table: claims, and the end of each claimed attempt. Every change of
 * an attempt applies only while this replica still holds the claim (`status = 'sending'`, same id): each
 * returns whether it did, so a reminder moved meanwhile is never reported.
 */
@Injectable()
export class DeliveryRepository {
  /**
   * Claims due notifications for this replica: `FOR UPDATE SKIP LOCKED` hands each row to exactly one claimer,
   * and the status change to `sending` commits before anything is sent, so another replica (or a timer firing
   * twice) never picks it up again. A claim older than the lease (its replica died mid-send) is taken over.
   * A webhook delivery held behind an earlier pending one of its client and subscription is not claimed
   * (`heldBehindEarlier`): its turn comes when the earlier one ends, in a later round of the same pass.
   */
  async claimDue(
    manager: EntityManager,
    now: Date,
    leaseMs: number,
    limit: number,
  ): Promise<NotificationRow[]> {
    const [rows] = await manager.query<[NotificationRow[], number]>(
      `UPDATE ${T('notifications')} n SET status = 'sending', claimed_at = $1, attempts = n.attempts + 1, updated_at = $1
         FROM (SELECT id FROM ${T('notifications')} candidate
                WHERE ((status = 'queued' AND due_at <= $1) OR (status = 'sending' AND claimed_at < $2))
                  AND NOT ${heldBehindEarlier('candidate')}
                ORDER BY due_at, queue_seq LIMIT $3 FOR UPDATE OF candidate SKIP LOCKED) due
        WHERE n.id = due.id
        RETURNING ${COLUMNS.split(',')
          .map((c) => `n.${c.trim()}`)
          .join(', ')}`,
      [now, new Date(now.getTime() - leaseMs), limit],
    );
    return rows;
  }

  /** Queued rows: what the Redis timers must hold (rebuilt from here at start and after loss). */
  pendingTimers(manager: EntityManager): Promise<{ id: string; due_at: Date }[]> {
    return manager.query(
      `SELECT id, due_at FROM ${T('notifications')} WHERE status = 'queued' ORDER BY due_at`,
    );
  }

  logStep(manager: EntityManager, notificationId: string, status: string, step: LogStep): Promise<void> {
    return logStep(manager, notificationId, status, step);
  }

  queue(manager: EntityManager, spec: NewNotification, now: Date): Promise<string | undefined> {
    return queueNotification(manager, spec, now);
  }

  markSent(manager: EntityManager, id: string, channel: ChannelName, now: Date): Promise<boolean> {
    return release(manager, id, now, `status = 'sent', reason = NULL, channel = $3`, [channel]);
  }

  markSuppressed(manager: EntityManager, id: string, reason: string, now: Date): Promise<boolean> {
    return release(manager, id, now, `status = 'suppressed', reason = $3`, [reason]);
  }

  markCancelled(manager: EntityManager, id: string, reason: string, now: Date): Promise<boolean> {
    return release(manager, id, now, `status = 'cancelled', reason = $3`, [reason]);
  }

  markFailed(manager: EntityManager, id: string, reason: string, now: Date): Promise<boolean> {
    return release(manager, id, now, `status = 'failed', reason = $3`, [reason]);
  }

  /** Back in the queue until `until` without counting the attempt, marked as deferred by quiet hours. */
  requeueDeferred(manager: EntityManager, id: string, until: Date, now: Date): Promise<boolean> {
    return release(
      manager,
      id,
      now,
      `status = 'queued', due_at = $3, attempts = attempts - 1, claimed_at = NULL,
       params = params || '{"deferred":"quiet-hours"}'::jsonb`,
      [until],
    );
  }

  /** Back in the queue for another attempt at `retryAt`, the last failure's reason kept. */
  requeueRetry(
    manager: EntityManager,
    id: string,
    retryAt: Date,
    reason: string,
    now: Date,
  ): Promise<boolean> {
    return release(manager, id, now, `status = 'queued', due_at = $3, claimed_at = NULL, reason = $4`, [
      retryAt,
      reason,
    ]);
  }

  /** When an alert requiring acknowledgement escalates if still unacknowledged. */
  async armEscalation(manager: EntityManager, id: string, escalateAt: Date): Promise<void> {
    await manager.query(`UPDATE ${T('notifications')} SET escalate_at = $2 WHERE id = $1`, [id, escalateAt]);
  }
}
