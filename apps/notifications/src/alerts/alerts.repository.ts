import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { logStep, queueNotification } from '../delivery/delivery.repository';
import { type NewNotification, type NotificationRow, T } from '../delivery/notification-store';

/** An alert that requires acknowledgement, as the acknowledgement needs it. */
export interface AlertToAcknowledge {
  readonly site_id: string | null;
  readonly client_id: string | null;
  readonly acknowledged_at: Date | null;
  readonly acknowledged_by: string | null;
}

/** Where an episode is cared for now, as this service's projection knows it. */
export interface EpisodeSite {
  readonly siteId: string;
  /** Whether the episode moved to this site from another (ClientTransferred). */
  readonly transferred: boolean;
}

/** A clinical alert still waiting to be sent, as re-addressing it after a transfer needs it. */
export type PendingAlert = Pick<
  NotificationRow,
  | 'id'
  | 'trigger_event_id'
  | 'recipient_id'
  | 'site_id'
  | 'template_code'
  | 'params'
  | 'urgent'
  | 'requires_ack'
  | 'subject_key'
>;

/** An urgent alert whose acknowledgement is overdue, as its escalation needs it. */
export type OverdueAlert = Pick<
  NotificationRow,
  'id' | 'recipient_id' | 'client_id' | 'site_id' | 'channel' | 'trigger_event_id'
>;

/**
 * Clinical alerts' SQL: who may receive them (this service's projection of episodes and staff), and the alert
 * rows of the notification table as they are raised, acknowledged and escalated.
 */
@Injectable()
export class AlertsRepository {
  /** The alert awaiting acknowledgement (kind `alert`, requiring it), locked until the transaction ends. */
  async lockForAcknowledgement(
    manager: EntityManager,
    alertId: string,
  ): Promise<AlertToAcknowledge | undefined> {
    const [alert] = await manager.query<AlertToAcknowledge[]>(
      `SELECT site_id, client_id, acknowledged_at, acknowledged_by FROM ${T('notifications')}
        WHERE id = $1 AND kind = 'alert' AND requires_ack FOR UPDATE`,
      [alertId],
    );
    return alert;
  }

  /** Records the acknowledgement, and its step in the alert's delivery log; the escalation then skips it. */
  async acknowledge(manager: EntityManager, alertId: string, by: string, at: Date): Promise<void> {
    await manager.query(
      `UPDATE ${T('notifications')} SET acknowledged_at = $2, acknowledged_by = $3, updated_at = $2 WHERE id = $1`,
      [alertId, at, by],
    );
    await logStep(manager, alertId, 'acknowledged', { at });
  }

  /**
   * Withdraws the alerts about `subjectKey`, each with `reason` in its delivery log: one still queued (due, or
   * held for quiet hours) is cancelled and never sent; one already sent (or being sent) is marked withdrawn.
   * Returns the ids withdrawn now (none the second time).
   */
  async withdraw(manager: EntityManager, subjectKey: string, reason: string, now: Date): Promise<string[]> {
    const [cancelled] = await manager.query<[{ id: string }[], number]>(
      `UPDATE ${T('notifications')} SET status = 'cancelled', reason = $2, withdrawn_at = $3, updated_at = $3
        WHERE subject_key = $1 AND kind = 'alert' AND status = 'queued' RETURNING id`,
      [subjectKey, reason, now],
    );
    for (const { id } of cancelled) await logStep(manager, id, 'cancelled', { reason, at: now });
    const [withdrawn] = await manager.query<[{ id: string }[], number]>(
      `UPDATE ${T('notifications')} SET withdrawn_at = $2, updated_at = $2
        WHERE subject_key = $1 AND kind = 'alert' AND status IN ('sending', 'sent') AND withdrawn_at IS NULL
        RETURNING id`,
      [subjectKey, now],
    );
    for (const { id } of withdrawn) await logStep(manager, id, 'withdrawn', { reason, at: now });
    return [...cancelled, ...withdrawn].map((row) => row.id);
  }

  /** The client's primary counselor (of `episodeId` when given, else of the latest admission), if known. */
  async primaryCounselor(
    manager: EntityManager,
    clientId: string,
    episodeId: string | undefined,
  ): Promise<string | undefined> {
    const [episode] = await manager.query<{ primary_counselor_id: string | null }[]>(
      `SELECT primary_counselor_id FROM ${T('episodes')}
        WHERE client_id = $1 AND ($2::uuid IS NULL OR episode_id = $2) AND primary_counselor_id IS NOT NULL
        ORDER BY admitted_at DESC NULLS LAST LIMIT 1`,
      [clientId, episodeId ?? null],
    );
    return episode?.primary_counselor_id ?? undefined;
  }

  /** The site the episode (else the client's latest) is cared for at now, if this service knows it. */
  async episodeSite(
    manager: EntityManager,
    clientId: string,
    episodeId: string | undefined,
  ): Promise<EpisodeSite | undefined> {
    const [episode] = await manager.query<{ site_id: string; transferred_at: Date | null }[]>(
      `SELECT site_id, transferred_at FROM ${T('episodes')}
        WHERE client_id = $1 AND ($2::uuid IS NULL OR episode_id = $2)
        ORDER BY admitted_at DESC NULLS LAST LIMIT 1`,
      [clientId, episodeId ?? null],
    );
    return episode === undefined
      ? undefined
      : { siteId: episode.site_id, transferred: episode.transferred_at !== null };
  }

  /** Whether the staff member is active at the site. */
  async activeAt(manager: EntityManager, staffId: string, siteId: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `SELECT 1 FROM ${T('staff')} WHERE staff_id = $1 AND active AND $2 = ANY(site_ids)`,
      [staffId, siteId],
    );
    return rows.length > 0;
  }

  /**
   * The client's clinical alerts to staff not yet sent (queued: due, or held for quiet hours), locked until the
   * transaction ends. Break-glass alerts are about the site's records, not the client's care: not among them.
   */
  async lockPendingAlerts(manager: EntityManager, clientId: string): Promise<PendingAlert[]> {
    return manager.query<PendingAlert[]>(
      `SELECT id, trigger_event_id, recipient_id, site_id, template_code, params, urgent, requires_ack, subject_key
         FROM ${T('notifications')}
        WHERE client_id = $1 AND kind = 'alert' AND recipient_kind = 'staff' AND status = 'queued'
          AND template_code IS DISTINCT FROM 'emergency-access-alert'
        ORDER BY id FOR UPDATE`,
      [clientId],
    );
  }

  /** Cancels one queued alert, with `reason` in its delivery log (it is never sent). */
  async cancel(manager: EntityManager, alertId: string, reason: string, now: Date): Promise<void> {
    await manager.query(
      `UPDATE ${T('notifications')} SET status = 'cancelled', reason = $2, updated_at = $3
        WHERE id = $1 AND status = 'queued'`,
      [alertId, reason, now],
    );
    await logStep(manager, alertId, 'cancelled', { reason, at: now });
  }

  /**
   * Whether this service knows anyone of the site's staff, in any role, active or not: none means the site's
   * staff have not reached it yet (scheduling's reference topic is read independently of the care topics).
   */
  async knowsStaffAt(manager: EntityManager, siteId: string): Promise<boolean> {
    const [row] = await manager.query<{ known: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM ${T('staff')} WHERE $1 = ANY(site_ids)) AS known`,
      [siteId],
    );
    return row?.known === true;
  }

  /** The active staff holding `role` at the site (but `except`), in id order. */
  async staffWithRole(
    manager: EntityManager,
    role: string,
    siteId: string | null,
    except?: string,
  ): Promise<string[]> {
    const staff = await manager.query<{ staff_id: string }[]>(
      `SELECT staff_id FROM ${T('staff')}
        WHERE active AND $1 = ANY(roles) AND $2 = ANY(site_ids) AND staff_id IS DISTINCT FROM $3
        ORDER BY staff_id`,
      [role, siteId, except ?? null],
    );
    return staff.map((s) => s.staff_id);
  }

  queue(manager: EntityManager, spec: NewNotification, now: Date): Promise<string | undefined> {
    return queueNotification(manager, spec, now);
  }

  /**
   * Claims up to 50 urgent alerts not acknowledged by their `escalate_at`: `SKIP LOCKED`, and `escalated_at`
   * set in the same transaction, make each alert escalate once across replicas.
   */
  async claimOverdue(manager: EntityManager, now: Date): Promise<OverdueAlert[]> {
    const [alerts] = await manager.query<[OverdueAlert[], number]>(
      `UPDATE ${T('notifications')} n SET escalated_at = $1
         FROM (SELECT id FROM ${T('notifications')}
                WHERE requires_ack AND acknowledged_at IS NULL AND escalated_at IS NULL AND escalate_at <= $1
                ORDER BY escalate_at LIMIT 50 FOR UPDATE SKIP LOCKED) due
        WHERE n.id = due.id
        RETURNING n.id, n.recipient_id, n.client_id, n.site_id, n.channel, n.trigger_event_id`,
      [now],
    );
    return alerts;
  }

  /** A step of the alert's escalation (escalated, escalation-failed) in its delivery log. */
  logEscalation(
    manager: EntityManager,
    alertId: string,
    status: 'escalated' | 'escalation-failed',
    step: { reason: string; channel?: string; at: Date },
  ): Promise<void> {
    return logStep(manager, alertId, status, step);
  }
}
