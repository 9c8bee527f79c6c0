import { type NewNotification } from '../delivery/notification-store';
import {
  type AppointmentFact,
  type ReminderScope,
  type RemindersRepository,
  type ScheduledReminder,
} from '../reminders/reminders.repository';
import { type NotificationTable } from './in-memory-notifications';

type StoredAppointment = AppointmentFact & { status: string };

/** The reminder schedule and its projection of appointments and discharges, in memory. */
export class InMemoryReminders implements RemindersRepository {
  readonly appointments = new Map<string, StoredAppointment>();
  readonly discharges = new Map<string, Date>();
  /** Transfers by episode: the site left and when. */
  readonly transfers = new Map<string, { fromSiteId: string; at: Date }>();
  /** Time zones by client (their preference) and by site. */
  readonly timeZones = new Map<string, string>();

  constructor(readonly table: NotificationTable) {}

  dischargedAt(_manager: unknown, episodeId: string): Promise<Date | null> {
    return Promise.resolve(this.discharges.get(episodeId) ?? null);
  }

  leftSiteAt(_manager: unknown, episodeId: string, siteId: string): Promise<Date | null> {
    const transfer = this.transfers.get(episodeId);
    return Promise.resolve(transfer?.fromSiteId === siteId ? transfer.at : null);
  }

  cancelAppointmentsAtSite(_manager: unknown, episodeId: string, siteId: string, from: Date): Promise<void> {
    this.transfers.set(episodeId, { fromSiteId: siteId, at: from });
    for (const appointment of this.appointments.values())
      if (
        appointment.episodeId === episodeId &&
        appointment.siteId === siteId &&
        appointment.startsAt >= from
      )
        appointment.status = 'cancelled';
    return Promise.resolve();
  }

  recordAppointment(_manager: unknown, appointment: AppointmentFact, status: string): Promise<boolean> {
    if (this.appointments.has(appointment.appointmentId)) return Promise.resolve(false);
    this.appointments.set(appointment.appointmentId, { ...appointment, status });
    return Promise.resolve(true);
  }

  moveAppointment(_manager: unknown, appointmentId: string, startsAt: Date): Promise<string | undefined> {
    const appointment = this.appointments.get(appointmentId);
    if (appointment !== undefined) Object.assign(appointment, { startsAt });
    return Promise.resolve(appointment?.status);
  }

  cancelAppointment(
    _manager: unknown,
    appointment: Omit<AppointmentFact, 'startsAt'>,
    at: Date,
  ): Promise<void> {
    const known = this.appointments.get(appointment.appointmentId);
    this.appointments.set(appointment.appointmentId, {
      ...appointment,
      startsAt: known?.startsAt ?? at,
      status: 'cancelled',
    });
    return Promise.resolve();
  }

  recordDischarge(_manager: unknown, episode: { episodeId: string }, dischargedAt: Date): Promise<void> {
    this.discharges.set(episode.episodeId, dischargedAt);
    for (const appointment of this.appointments.values())
      if (appointment.episodeId === episode.episodeId && appointment.startsAt >= dischargedAt)
        appointment.status = 'cancelled';
    return Promise.resolve();
  }

  timeZone(_manager: unknown, clientId: string, siteId: string): Promise<string | null> {
    return Promise.resolve(this.timeZones.get(clientId) ?? this.timeZones.get(siteId) ?? null);
  }

  lockReminder(_manager: unknown, dedupeKey: string): Promise<ScheduledReminder | undefined> {
    const row = this.table.byDedupeKey(dedupeKey);
    return Promise.resolve(row && { id: row.id, status: row.status, due_at: row.due_at });
  }

  queue(_manager: unknown, spec: NewNotification, now: Date): Promise<string | undefined> {
    return this.table.queue(spec, now);
  }

  async cancelReminder(_manager: unknown, id: string, reason: string, now: Date): Promise<void> {
    const row = this.table.byId(id);
    if (row === undefined) return;
    Object.assign(row, { status: 'cancelled', reason });
    await this.table.step(id, 'cancelled', { reason, at: now });
  }

  async requeueReminder(
    _manager: unknown,
    dedupeKey: string,
    change: { dueAt: Date; params: Record<string, string>; triggerEventId: string; reason: string },
    now: Date,
  ): Promise<string> {
    const id = this.table.newId();
    const row = this.table.byDedupeKey(dedupeKey);
    if (row !== undefined)
      Object.assign(row, {
        id,
        status: 'queued',
        reason: null,
        attempts: 0,
        due_at: change.dueAt,
        params: change.params,
        trigger_event_id: change.triggerEventId,
      });
    await this.table.step(id, 'queued', { reason: change.reason, at: now });
    return id;
  }

  async cancelQueued(_manager: unknown, scope: ReminderScope, reason: string, now: Date): Promise<void> {
    const inScope = (appointmentId: string | null): boolean => {
      if ('appointmentId' in scope) return appointmentId === scope.appointmentId;
      const appointment = this.appointments.get(appointmentId ?? '');
      return (
        appointment?.episodeId === scope.cancelledAppointmentsOfEpisode && appointment.status === 'cancelled'
      );
    };
    for (const row of this.table.rows())
      if (row.kind === 'reminder' && row.status === 'queued' && inScope(row.appointment_id)) {
        Object.assign(row, { status: 'cancelled', reason });
        await this.table.step(row.id, 'cancelled', { reason, at: now });
      }
  }
}
