import { type DeliveryRepository, type LogStep } from '../delivery/delivery.repository';
import { type ChannelName, type NewNotification, type NotificationRow } from '../delivery/notification-store';
import { isHeld } from '../delivery/webhook-order';
import { type NotificationTable, type StoredNotification } from './in-memory-notifications';

/** The sending side of the notification table in memory: claims, and the end of each claimed attempt. */
export class InMemoryDeliveries implements DeliveryRepository {
  constructor(readonly table: NotificationTable) {}

  claimDue(_manager: unknown, now: Date, _leaseMs: number, limit: number): Promise<NotificationRow[]> {
    // Rows in insertion order: the queue order the ordering rule reads (Postgres: queue_seq).
    const rows = this.table.rows();
    const due = rows
      .filter((row, index) => row.status === 'queued' && row.due_at <= now && !isHeld(rows, index))
      .sort((a, b) => a.due_at.getTime() - b.due_at.getTime())
      .slice(0, limit);
    for (const row of due) Object.assign(row, { status: 'sending', attempts: row.attempts + 1 });
    // A copy, as Postgres returns: later changes to the row do not show in the claimed one.
    return Promise.resolve(due.map((row) => ({ ...row, params: { ...row.params } })));
  }

  pendingTimers(): Promise<{ id: string; due_at: Date }[]> {
    return Promise.resolve(
      this.table
        .rows()
        .filter((row) => row.status === 'queued')
        .map((row) => ({ id: row.id, due_at: row.due_at })),
    );
  }

  logStep(_manager: unknown, notificationId: string, status: string, step: LogStep): Promise<void> {
    return this.table.step(notificationId, status, step);
  }

  queue(_manager: unknown, spec: NewNotification, now: Date): Promise<string | undefined> {
    return this.table.queue(spec, now);
  }

  /** Applies `change` while the claim holds (status `sending`), as the repository's guarded UPDATE does. */
  private release(id: string, change: (row: StoredNotification) => void): Promise<boolean> {
    const row = this.table.byId(id);
    if (row?.status !== 'sending') return Promise.resolve(false);
    change(row);
    return Promise.resolve(true);
  }

  markSent(_manager: unknown, id: string, channel: ChannelName): Promise<boolean> {
    return this.release(id, (row) => Object.assign(row, { status: 'sent', reason: null, channel }));
  }

  markSuppressed(_manager: unknown, id: string, reason: string): Promise<boolean> {
    return this.release(id, (row) => Object.assign(row, { status: 'suppressed', reason }));
  }

  markCancelled(_manager: unknown, id: string, reason: string): Promise<boolean> {
    return this.release(id, (row) => Object.assign(row, { status: 'cancelled', reason }));
  }

  markFailed(_manager: unknown, id: string, reason: string): Promise<boolean> {
    return this.release(id, (row) => Object.assign(row, { status: 'failed', reason }));
  }

  requeueDeferred(_manager: unknown, id: string, until: Date): Promise<boolean> {
    return this.release(id, (row) =>
      Object.assign(row, {
        status: 'queued',
        due_at: until,
        attempts: row.attempts - 1,
        params: { ...row.params, deferred: 'quiet-hours' },
      }),
    );
  }

  requeueRetry(_manager: unknown, id: string, retryAt: Date, reason: string): Promise<boolean> {
    return this.release(id, (row) => Object.assign(row, { status: 'queued', due_at: retryAt, reason }));
  }

  armEscalation(_manager: unknown, id: string, escalateAt: Date): Promise<void> {
    Object.assign(this.table.byId(id) ?? {}, { escalate_at: escalateAt });
    return Promise.resolve();
  }
}
