import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { logStep, queueNotification } from '../delivery/delivery.repository';
import { type NewNotification, T } from '../delivery/notification-store';

/** An appointment as scheduling announced it. */
export interface AppointmentFact {
  readonly appointmentId: string;
  readonly clientId: string;
  readonly episodeId: string;
  readonly siteId: string;
  readonly startsAt: Date;
}

/** A reminder's row on the schedule (one per appointment and offset), as the planner compares it. */
export interface ScheduledReminder {
  readonly id: string;
  readonly status: string;
  readonly due_at: Date;
}

/** Which queued reminders a cancellation withdraws. */
export type ReminderScope =
  { readonly appointmentId: string } | { readonly cancelledAppointmentsOfEpisode: string };

/**
 * The reminder schedule's SQL: this service's projection of appointments and discharges, and the reminder rows
 * of the notification table (one per appointment and offset, keyed by their dedupe key).
 */
@Injectable()
export class RemindersRepository {
  /** When the episode's client was discharged, if this service has heard of it. */
  async dischargedAt(manager: EntityManager, episodeId: string): Promise<Date | null> {
    const [episode] = await manager.query<{ discharged_at: Date | null }[]>(
      `SELECT discharged_at FROM ${T('episodes')} WHERE episode_id = $1`,
      [episodeId],
    );
    return episode?.discharged_at ?? null;
  }

  /** When the episode moved away from `siteId` to another site (its latest transfer), if it did. */
  async leftSiteAt(manager: EntityManager, episodeId: string, siteId: string): Promise<Date | null> {
    const [episode] = await manager.query<{ transferred_at: Date | null }[]>(
      `SELECT transferred_at FROM ${T('episodes')}
        WHERE episode_id = $1 AND transferred_from_site_id = $2 AND site_id <> $2`,
      [episodeId, siteId],
    );
    return episode?.transferred_at ?? null;
  }

  /** Cancels the episode's appointments at `siteId` starting at or after `from` (the client left the site). */
  async cancelAppointmentsAtSite(
    manager: EntityManager,
    episodeId: string,
    siteId: string,
    from: Date,
  ): Promise<void> {
    await manager.query(
      `UPDATE ${T('appointments')} SET status = 'cancelled'
        WHERE episode_id = $1 AND site_id = $2 AND starts_at >= $3`,
      [episodeId, siteId, from],
    );
  }

  /** Records a newly scheduled appointment; false when it was known already (a replay), which changes nothing. */
  async recordAppointment(
    manager: EntityManager,
    appointment: AppointmentFact,
    status: 'scheduled' | 'cancelled',
  ): Promise<boolean> {
    const inserted = await manager.query<unknown[]>(
      `INSERT INTO ${T('appointments')} (appointment_id, client_id, episode_id, site_id, starts_at, status)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (appointment_id) DO NOTHING RETURNING appointment_id`,
      [
        appointment.appointmentId,
        appointment.clientId,
        appointment.episodeId,
        appointment.siteId,
        appointment.startsAt,
        status,
      ],
    );
    return inserted.length > 0;
  }

  /** Moves a known appointment; its status, or undefined when this service never heard of it. */
  async moveAppointment(
    manager: EntityManager,
    appointmentId: string,
    startsAt: Date,
  ): Promise<string | undefined> {
    const [[row]] = await manager.query<[{ status: string }[], number]>(
      `UPDATE ${T('appointments')} SET starts_at = $2 WHERE appointment_id = $1 RETURNING status`,
      [appointmentId, startsAt],
    );
    return row?.status;
  }

  /** Marks an appointment cancelled, recording it (starting at `at`) if it was not known. */
  async cancelAppointment(
    manager: EntityManager,
    appointment: Omit<AppointmentFact, 'startsAt'>,
    at: Date,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO ${T('appointments')} (appointment_id, client_id, episode_id, site_id, starts_at, status)
       VALUES ($1, $2, $3, $4, $5, 'cancelled')
       ON CONFLICT (appointment_id) DO UPDATE SET status = 'cancelled'`,
      [appointment.appointmentId, appointment.clientId, appointment.episodeId, appointment.siteId, at],
    );
  }

  /** Records the discharge, cancelling the episode's appointments from then on. */
  async recordDischarge(
    manager: EntityManager,
    episode: { episodeId: string; clientId: string; siteId: string },
    dischargedAt: Date,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO ${T('episodes')} (episode_id, client_id, site_id, discharged_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (episode_id) DO UPDATE SET discharged_at = EXCLUDED.discharged_at`,
      [episode.episodeId, episode.clientId, episode.siteId, dischargedAt],
    );
    await manager.query(
      `UPDATE ${T('appointments')} SET status = 'cancelled' WHERE episode_id = $1 AND starts_at >= $2`,
      [episode.episodeId, dischargedAt],
    );
  }

  /** The client's own time zone when they set one, else their site's; null when neither is known. */
  async timeZone(manager: EntityManager, clientId: string, siteId: string): Promise<string | null> {
    const [row] = await manager.query<{ time_zone: string | null }[]>(
      `SELECT COALESCE((SELECT time_zone FROM ${T('recipient_preferences')} WHERE recipient_id = $1),
                       (SELECT time_zone FROM ${T('sites')} WHERE site_id = $2)) AS time_zone`,
      [clientId, siteId],
    );
    return row?.time_zone ?? null;
  }

  /** The reminder on the schedule under `dedupeKey`, locked until the transaction ends. */
  async lockReminder(manager: EntityManager, dedupeKey: string): Promise<ScheduledReminder | undefined> {
    const [existing] = await manager.query<ScheduledReminder[]>(
      `SELECT id, status, due_at FROM ${T('notifications')} WHERE dedupe_key = $1 FOR UPDATE`,
      [dedupeKey],
    );
    return existing;
  }

  queue(manager: EntityManager, spec: NewNotification, now: Date): Promise<string | undefined> {
    return queueNotification(manager, spec, now);
  }

  /** Withdraws one queued reminder, with its reason in the delivery log. */
  async cancelReminder(manager: EntityManager, id: string, reason: string, now: Date): Promise<void> {
    await manager.query(
      `UPDATE ${T('notifications')} SET status = 'cancelled', reason = $3, updated_at = $2 WHERE id = $1`,
      [id, now, reason],
    );
    await logStep(manager, id, 'cancelled', { reason, at: now });
  }

  /**
   * Queues the schedule row under `dedupeKey` again as a new notification (new id): one row per appointment and
   * offset, whatever the appointment's moves. Returns the new id.
   */
  async requeueReminder(
    manager: EntityManager,
    dedupeKey: string,
    change: { dueAt: Date; params: Record<string, string>; triggerEventId: string; reason: string },
    now: Date,
  ): Promise<string> {
    const id = randomUUID();
    await manager.query(
      `UPDATE ${T('notifications')} SET id = $2, status = 'queued', reason = NULL, attempts = 0, due_at = $3,
          params = $4, trigger_event_id = $5, claimed_at = NULL, updated_at = $6
        WHERE dedupe_key = $1`,
      [dedupeKey, id, change.dueAt, JSON.stringify(change.params), change.triggerEventId, now],
    );
    await logStep(manager, id, 'queued', { reason: change.reason, at: now });
    return id;
  }

  /** Withdraws the queued reminders in `scope`, each with `reason` in its delivery log. */
  async cancelQueued(manager: EntityManager, scope: ReminderScope, reason: string, now: Date): Promise<void> {
    const [where, param] =
      'appointmentId' in scope
        ? ['appointment_id = $2', scope.appointmentId]
        : [
            `appointment_id IN (SELECT appointment_id FROM ${T('appointments')} WHERE episode_id = $2 AND status = 'cancelled')`,
            scope.cancelledAppointmentsOfEpisode,
          ];
    const [rows] = await manager.query<[{ id: string }[], number]>(
      `UPDATE ${T('notifications')} SET status = 'cancelled', reason = $1, updated_at = now()
        WHERE kind = 'reminder' AND status = 'queued' AND ${where} RETURNING id`,
      [reason, param],
    );
    for (const row of rows) await logStep(manager, row.id, 'cancelled', { reason, at: now });
  }
}
