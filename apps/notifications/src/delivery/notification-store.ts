import { NOTIFICATIONS_SCHEMA } from '../notifications.schema';

/**
 * The notification tables' names and row shapes, shared by every feature's repository (and the projections of
 * other services' facts). The SQL itself lives in the repositories: `delivery.repository.ts` for the
 * notification table.
 */
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
  subject_key: string | null;
  withdrawn_at: Date | null;
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
  /** What a clinical alert is about when a later fact may settle it (ids only), e.g. `weekly-hours:<episode>:<week>`. */
  readonly subjectKey?: string;
  readonly dueAt: Date;
}
