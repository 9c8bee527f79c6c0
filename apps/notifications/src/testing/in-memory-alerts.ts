import {
  type AlertToAcknowledge,
  type AlertsRepository,
  type EpisodeSite,
  type OverdueAlert,
  type PendingAlert,
} from '../alerts/alerts.repository';
import { type NewNotification } from '../delivery/notification-store';
import { type NotificationTable } from './in-memory-notifications';

/** A staff member as this service's projection knows them. */
export interface StaffMember {
  readonly staffId: string;
  readonly roles: readonly string[];
  readonly siteIds: readonly string[];
  readonly active: boolean;
}

/** Alerts' recipients (counselors, staff) and the alert rows of the notification table, in memory. */
export class InMemoryAlerts implements AlertsRepository {
  /** Primary counselors by client id. */
  readonly counselors = new Map<string, string>();
  readonly staff: StaffMember[] = [];
  /** Where each client's episode is cared for, when a test says (transfers). */
  readonly episodes = new Map<string, EpisodeSite>();

  constructor(readonly table: NotificationTable) {}

  lockForAcknowledgement(_manager: unknown, alertId: string): Promise<AlertToAcknowledge | undefined> {
    const row = this.table.byId(alertId);
    return Promise.resolve(row?.kind === 'alert' && row.requires_ack ? row : undefined);
  }

  async acknowledge(_manager: unknown, alertId: string, by: string, at: Date): Promise<void> {
    Object.assign(this.table.byId(alertId) ?? {}, { acknowledged_at: at, acknowledged_by: by });
    await this.table.step(alertId, 'acknowledged', { at });
  }

  primaryCounselor(_manager: unknown, clientId: string): Promise<string | undefined> {
    return Promise.resolve(this.counselors.get(clientId));
  }

  episodeSite(_manager: unknown, clientId: string): Promise<EpisodeSite | undefined> {
    return Promise.resolve(this.episodes.get(clientId));
  }

  activeAt(_manager: unknown, staffId: string, siteId: string): Promise<boolean> {
    return Promise.resolve(
      this.staff.some((s) => s.staffId === staffId && s.active && s.siteIds.includes(siteId)),
    );
  }

  lockPendingAlerts(_manager: unknown, clientId: string): Promise<PendingAlert[]> {
    return Promise.resolve(
      this.table
        .rows()
        .filter(
          (row) =>
            row.client_id === clientId &&
            row.kind === 'alert' &&
            row.recipient_kind === 'staff' &&
            row.status === 'queued' &&
            row.template_code !== 'emergency-access-alert',
        ),
    );
  }

  async cancel(_manager: unknown, alertId: string, reason: string, now: Date): Promise<void> {
    const row = this.table.byId(alertId);
    if (row?.status !== 'queued') return;
    Object.assign(row, { status: 'cancelled', reason });
    await this.table.step(alertId, 'cancelled', { reason, at: now });
  }

  knowsStaffAt(_manager: unknown, siteId: string): Promise<boolean> {
    return Promise.resolve(this.staff.some((s) => s.siteIds.includes(siteId)));
  }

  staffWithRole(_manager: unknown, role: string, siteId: string | null, except?: string): Promise<string[]> {
    return Promise.resolve(
      this.staff
        .filter((s) => s.active && s.roles.includes(role) && s.siteIds.includes(siteId ?? ''))
        .filter((s) => s.staffId !== except)
        .map((s) => s.staffId)
        .sort(),
    );
  }

  queue(_manager: unknown, spec: NewNotification, now: Date): Promise<string | undefined> {
    return this.table.queue(spec, now);
  }

  async withdraw(_manager: unknown, subjectKey: string, reason: string, now: Date): Promise<string[]> {
    const ids: string[] = [];
    for (const row of this.table.rows()) {
      if (row.subject_key !== subjectKey || row.kind !== 'alert' || row.withdrawn_at !== null) continue;
      if (row.status === 'queued') {
        Object.assign(row, { status: 'cancelled', reason, withdrawn_at: now });
        await this.table.step(row.id, 'cancelled', { reason, at: now });
      } else if (row.status === 'sending' || row.status === 'sent') {
        row.withdrawn_at = now;
        await this.table.step(row.id, 'withdrawn', { reason, at: now });
      } else continue;
      ids.push(row.id);
    }
    return ids;
  }

  claimOverdue(_manager: unknown, now: Date): Promise<OverdueAlert[]> {
    const overdue = this.table
      .rows()
      .filter(
        (row) =>
          row.requires_ack &&
          row.acknowledged_at === null &&
          row.escalated_at === null &&
          row.escalate_at !== null &&
          row.escalate_at <= now,
      );
    for (const row of overdue) row.escalated_at = now;
    return Promise.resolve(overdue);
  }

  logEscalation(
    _manager: unknown,
    alertId: string,
    status: string,
    step: { reason: string; channel?: string; at: Date },
  ): Promise<void> {
    return this.table.step(alertId, status, step);
  }
}
