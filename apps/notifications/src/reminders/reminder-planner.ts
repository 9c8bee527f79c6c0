import { Injectable } from '@nestjs/common';
import { type CareEvent } from '@stepwise/contracts';
import { type Transaction } from '@stepwise/messaging';
import { type EntityManager } from 'typeorm';
import { Clock } from '@stepwise/platform';
import { NotificationTimers } from '../timers/notification-timers';
import { REMINDER_OFFSETS, reminderDueAt } from './reminder-offsets';
import { type AppointmentFact, RemindersRepository } from './reminders.repository';

const dedupeKey = (appointmentId: string, offset: string): string => `reminder:${appointmentId}:${offset}`;

/**
 * Keeps the reminder schedule (rows of the notification table, one per appointment and offset, unique in
 * Postgres) in step with scheduling's and intake's facts: armed when an appointment is scheduled, moved when
 * it is rescheduled, cancelled with the appointment or the client's discharge. Reminders that would be due in
 * the past are never armed. Runs inside the consumer's inbox transaction.
 */
@Injectable()
export class ReminderPlanner {
  constructor(
    private readonly clock: Clock,
    private readonly timers: NotificationTimers,
    private readonly reminders: RemindersRepository,
  ) {}

  async scheduled(event: CareEvent<'AppointmentScheduled'>, tx: Transaction): Promise<void> {
    const p = event.data;
    const appointment = { ...p, startsAt: new Date(p.startsAt) };
    const dischargedAt = await this.reminders.dischargedAt(tx.manager, p.episodeId);
    const left = await this.reminders.leftSiteAt(tx.manager, p.episodeId, p.siteId);
    // Discharged, or transferred away from the appointment's site, by the time it starts: nothing to remind of.
    const discharged =
      (dischargedAt !== null && dischargedAt <= appointment.startsAt) ||
      (left !== null && left <= appointment.startsAt);
    const inserted = await this.reminders.recordAppointment(
      tx.manager,
      appointment,
      discharged ? 'cancelled' : 'scheduled',
    );
    // A replayed or re-published AppointmentScheduled of a known appointment changes nothing.
    if (!inserted || discharged) return;
    await this.arm(tx.manager, appointment, event.id);
  }

  async rescheduled(event: CareEvent<'AppointmentRescheduled'>, tx: Transaction): Promise<void> {
    const p = event.data;
    const startsAt = new Date(p.startsAt);
    const status = await this.reminders.moveAppointment(tx.manager, p.appointmentId, startsAt);
    // Unknown appointment (scheduled before this service subscribed) or cancelled: nothing to remind of.
    if (status !== 'scheduled') return;
    await this.arm(tx.manager, { ...p, startsAt }, event.id);
  }

  async cancelled(event: CareEvent<'AppointmentCancelled'>, tx: Transaction): Promise<void> {
    const p = event.data;
    await this.reminders.cancelAppointment(tx.manager, p, new Date(p.cancelledAt));
    await this.reminders.cancelQueued(
      tx.manager,
      { appointmentId: p.appointmentId },
      'appointment-cancelled',
      this.clock.now(),
    );
  }

  async discharged(event: CareEvent<'ClientDischarged'>, tx: Transaction): Promise<void> {
    const p = event.data;
    await this.reminders.recordDischarge(tx.manager, p, new Date(p.dischargedAt));
    await this.reminders.cancelQueued(
      tx.manager,
      { cancelledAppointmentsOfEpisode: p.episodeId },
      'client-discharged',
      this.clock.now(),
    );
  }

  /**
   * The client moved to another site from `effectiveAt`: the old site's appointments from then on are not the
   * client's any more (scheduling cancels them too; whichever fact comes first), so their queued reminders are
   * cancelled (`client-transferred` in the delivery log). Reminders of the new site's appointments are armed as
   * those are scheduled, in the new site's time zone.
   */
  async transferred(event: CareEvent<'ClientTransferred'>, tx: Transaction): Promise<void> {
    const p = event.data;
    await this.reminders.cancelAppointmentsAtSite(
      tx.manager,
      p.episodeId,
      p.fromSiteId,
      new Date(p.effectiveAt),
    );
    await this.reminders.cancelQueued(
      tx.manager,
      { cancelledAppointmentsOfEpisode: p.episodeId },
      'client-transferred',
      this.clock.now(),
    );
  }

  private async arm(
    manager: EntityManager,
    appointment: AppointmentFact,
    triggerEventId: string,
  ): Promise<void> {
    const now = this.clock.now();
    // The client's own time zone when they set one, else their site's, else UTC.
    const timeZone =
      (await this.reminders.timeZone(manager, appointment.clientId, appointment.siteId)) ?? 'UTC';
    const startsAt = appointment.startsAt.toISOString();
    for (const offset of REMINDER_OFFSETS.offsets) {
      const dueAt = reminderDueAt(appointment.startsAt, offset, timeZone);
      const key = dedupeKey(appointment.appointmentId, offset.code);
      const params = { startsAt, offset: offset.code };
      const existing = await this.reminders.lockReminder(manager, key);
      const future = dueAt > now;
      if (existing === undefined) {
        if (!future) continue;
        const id = await this.reminders.queue(
          manager,
          {
            dedupeKey: key,
            kind: 'reminder',
            triggerEventId,
            recipientId: appointment.clientId,
            recipientKind: 'client',
            clientId: appointment.clientId,
            siteId: appointment.siteId,
            templateCode: offset.templateCode,
            params,
            appointmentId: appointment.appointmentId,
            dueAt,
          },
          now,
        );
        if (id !== undefined) await this.timers.schedule(id, dueAt);
        continue;
      }
      if (existing.due_at.getTime() === dueAt.getTime() && existing.status !== 'cancelled') continue;
      if (existing.status === 'queued')
        await this.reminders.cancelReminder(manager, existing.id, 'appointment-moved', now);
      if (!future) continue;
      // The moved reminder is a new notification (new id) on the same schedule row: one per appointment and offset.
      const id = await this.reminders.requeueReminder(
        manager,
        key,
        { dueAt, params, triggerEventId, reason: 'appointment-moved' },
        now,
      );
      await this.timers.schedule(id, dueAt);
    }
  }
}
