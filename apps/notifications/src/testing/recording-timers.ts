import { NotificationTimers } from '../timers/notification-timers';

/** Timers that only remember what was set: which notification, due when. */
export class RecordingTimers extends NotificationTimers {
  readonly set: { id: string; dueAt: string }[] = [];

  schedule(notificationId: string, dueAt: Date): Promise<void> {
    this.set.push({ id: notificationId, dueAt: dueAt.toISOString() });
    return Promise.resolve();
  }
}
