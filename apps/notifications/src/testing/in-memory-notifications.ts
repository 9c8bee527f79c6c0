import { randomUUID } from 'node:crypto';
import { type LogStep } from '../delivery/delivery.repository';
import { type NewNotification, type NotificationRow } from '../delivery/notification-store';

/** A row of the notification table as the in-memory repositories keep it. */
export type StoredNotification = NotificationRow & { acknowledged_by: string | null };

/** One step of a notification's delivery log. */
export interface LoggedStep {
  readonly id: string;
  readonly status: string;
  readonly reason: string | null;
  readonly channel: string | null;
  readonly contentSha256?: string;
  readonly noticeVersion?: string;
}

/**
 * The notification table and its delivery log in memory, shared by the in-memory repositories of the unit
 * tests as Postgres is shared by the real ones: one row per dedupe key, in the order rows were written.
 */
export class NotificationTable {
  private readonly byKey = new Map<string, StoredNotification>();
  readonly log: LoggedStep[] = [];
  /** A new notification id (a UUID, as the events that name it require). */
  newId(): string {
    return randomUUID();
  }

  rows(): StoredNotification[] {
    return [...this.byKey.values()];
  }

  byDedupeKey(key: string): StoredNotification | undefined {
    return this.byKey.get(key);
  }

  byId(id: string): StoredNotification | undefined {
    return this.rows().find((row) => row.id === id);
  }

  /** Inserts a row unless its dedupe key is taken (then undefined), as `ON CONFLICT DO NOTHING` does. */
  insert(
    spec: NewNotification,
    status: 'queued' | 'suppressed',
    reason: string | null = null,
  ): StoredNotification | undefined {
    if (this.byKey.has(spec.dedupeKey)) return undefined;
    const row: StoredNotification = {
      id: this.newId(),
      dedupe_key: spec.dedupeKey,
      kind: spec.kind,
      trigger_event_id: spec.triggerEventId,
      recipient_id: spec.recipientId,
      recipient_kind: spec.recipientKind,
      client_id: spec.clientId ?? null,
      site_id: spec.siteId ?? null,
      channel: spec.channel ?? null,
      template_code: spec.templateCode ?? null,
      params: { ...spec.params },
      urgent: spec.urgent ?? false,
      appointment_id: spec.appointmentId ?? null,
      status,
      reason,
      attempts: 0,
      due_at: spec.dueAt,
      requires_ack: spec.requiresAck ?? false,
      acknowledged_at: null,
      acknowledged_by: null,
      escalate_at: null,
      escalated_at: null,
      subscription_id: spec.subscriptionId ?? null,
      subject_key: spec.subjectKey ?? null,
      withdrawn_at: null,
    };
    this.byKey.set(spec.dedupeKey, row);
    return row;
  }

  async queue(spec: NewNotification, now: Date): Promise<string | undefined> {
    const row = this.insert(spec, 'queued');
    if (row !== undefined) await this.step(row.id, 'queued', { channel: spec.channel ?? null, at: now });
    return row?.id;
  }

  step(id: string, status: string, step: LogStep): Promise<void> {
    this.log.push({
      id,
      status,
      reason: step.reason ?? null,
      channel: step.channel ?? null,
      ...(step.contentSha256 == null ? {} : { contentSha256: step.contentSha256 }),
      ...(step.noticeVersion == null ? {} : { noticeVersion: step.noticeVersion }),
    });
    return Promise.resolve();
  }

  /** The statuses logged for one notification, in order. */
  history(id: string): string[] {
    return this.log.filter((step) => step.id === id).map((step) => step.status);
  }
}
