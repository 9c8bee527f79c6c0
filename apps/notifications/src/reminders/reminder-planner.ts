import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type CareEvent } from '@stepwise/contracts';
import { type Transaction } from '@stepwise/messaging';
import { type EntityManager } from 'typeorm';
import { Clock } from '@stepwise/platform';
import { logStep, queueNotification, T } from '../delivery/notification-store';
import { NotificationTimers } from '../timers/notification-timers';
import { REMINDER_OFFSETS, reminderDueAt } from './reminder-offsets';

interface Appointment {
  readonly appointmentId: string;
  readonly clientId: string;
  readonly episodeId: string;
  readonly siteId: string;
  readonly startsAt: Date;
}

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
  ) {}

  async scheduled(event: CareEvent<'AppointmentScheduled'>, tx: Transaction): Promise<void> {
    const p = event.data;
    const appointment = { ...p, startsAt: new Date(p.startsAt) };
    const [episode] = await tx.manager.query<{ discharged_at: Date | null }[]>(
      `SELECT discharged_at FROM ${T('episodes')} WHERE episode_id = $1`,
      [p.episodeId],
    );
    const discharged = episode?.discharged_at != null && episode.discharged_at <= appointment.startsAt;
    const inserted = await tx.manager.query<unknown[]>(
      `INSERT INTO ${T('appointments')} (appointment_id, client_id, episode_id, site_id, starts_at, status)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (appointment_id) DO NOTHING RETURNING appointment_id`,
      [
        p.appointmentId,
        p.clientId,
        p.episodeId,
        p.siteId,
        appointment.startsAt,
        discharged ? 'cancelled' : 'scheduled',
      ],
    );
    // A replayed or re-published AppointmentScheduled of a known appointment changes nothing.
    if (inserted.length === 0 || discharged) return;
    await this.arm(tx.manager, appointment, event.id);
  }

  async rescheduled(event: CareEvent<'AppointmentRescheduled'>, tx: Transaction): Promise<void> {
    const p = event.data;
    const startsAt = new Date(p.startsAt);
    const [[row]] = await tx.manager.query<[{ status: string }[], number]>(
      `UPDATE ${T('appointments')} SET starts_at = $2 WHERE appointment_id = $1 RETURNING status`,
      [p.appointmentId, startsAt],
    );
    // Unknown appointment (scheduled before this service subscribed) or cancelled: nothing to remind of.
    if (row === undefined || row.status !== 'scheduled') return;
    await this.arm(tx.manager, { ...p, startsAt }, event.id);
  }

  async cancelled(event: CareEvent<'AppointmentCancelled'>, tx: Transaction): Promise<void> {
    const p = event.data;
    await tx.manager.query(
      `INSERT INTO ${T('appointments')} (appointment_id, client_id, episode_id, site_id, starts_at, status)
       VALUES ($1, $2, $3, $4, $5, 'cancelled')
       ON CONFLICT (appointment_id) DO UPDATE SET status = 'cancelled'`,
      [p.appointmentId, p.clientId, p.episodeId, p.siteId, new Date(p.cancelledAt)],
    );
    await this.cancel(tx.manager, 'appointment_id = $1', [p.appointmentId], 'appointment-cancelled');
  }

  async discharged(event: CareEvent<'ClientDischarged'>, tx: Transaction): Promise<void> {
    const p = event.data;
    const dischargedAt = new Date(p.dischargedAt);
    await tx.manager.query(
      `INSERT INTO ${T('episodes')} (episode_id, client_id, site_id, discharged_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (episode_id) DO UPDATE SET discharged_at = EXCLUDED.discharged_at`,
      [p.episodeId, p.clientId, p.siteId, dischargedAt],
    );
    await tx.manager.query(
      `UPDATE ${T('appointments')} SET status = 'cancelled' WHERE episode_id = $1 AND starts_at >= $2`,
      [p.episodeId, dischargedAt],
    );
    await this.cancel(
      tx.manager,
      `appointment_id IN (SELECT appointment_id FROM ${T('appointments')} WHERE episode_id = $1 AND status = 'cancelled')`,
      [p.episodeId],
      'client-discharged',
    );
  }

  /** The client's own time zone when they set one, else their site's, else UTC. */
  private async timeZone(manager: EntityManager, clientId: string, siteId: string): Promise<string> {
    const [row] = await manager.query<{ time_zone: string | null }[]>(
      `SELECT COALESCE((SELECT time_zone FROM ${T('recipient_preferences')} WHERE recipient_id = $1),
                       (SELECT time_zone FROM ${T('sites')} WHERE site_id = $2)) AS time_zone`,
      [clientId, siteId],
    );
    return row?.time_zone ?? 'UTC';
  }

  private async arm(manager: EntityManager, appointment: Appointment, triggerEventId: string): Promise<void> {
    const now = this.clock.now();
    const timeZone = await this.timeZone(manager, appointment.clientId, appointment.siteId);
    for (const offset of REMINDER_OFFSETS.offsets) {
      const dueAt = reminderDueAt(appointment.startsAt, offset, timeZone);
      const key = dedupeKey(appointment.appointmentId, offset.code);
      const [existing] = await manager.query<{ id: string; status: string; due_at: Date }[]>(
        `SELECT id, status, due_at FROM ${T('notifications')} WHERE dedupe_key = $1 FOR UPDATE`,
        [key],
      );
      const future = dueAt > now;
      if (existing === undefined) {
        if (!future) continue;
        const id = await queueNotification(
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
            params: { startsAt: appointment.startsAt.toISOString(), offset: offset.code },
            appointmentId: appointment.appointmentId,
            dueAt,
          },
          now,
        );
        if (id !== undefined) await this.timers.schedule(id, dueAt);
        continue;
      }
      if (existing.due_at.getTime() === dueAt.getTime() && existing.status !== 'cancelled') continue;
      if (existing.status === 'queued') {
        await manager.query(
          `UPDATE ${T('notifications')} SET status = 'cancelled', reason = 'appointment-moved', updated_at = $2 WHERE id = $1`,
          [existing.id, now],
        );
        await logStep(manager, existing.id, 'cancelled', { reason: 'appointment-moved', at: now });
      }
      if (!future) continue;
      // The moved reminder is a new notification (new id) on the same schedule row: one per appointment and offset.
      const id = randomUUID();
      await manager.query(
        `UPDATE ${T('notifications')} SET id = $2, status = 'queued', reason = NULL, attempts = 0, due_at = $3,
            params = $4, trigger_event_id = $5, claimed_at = NULL, updated_at = $6
          WHERE dedupe_key = $1`,
        [
          key,
          id,
          dueAt,
          JSON.stringify({ startsAt: appointment.startsAt.toISOString(), offset: offset.code }),
          triggerEventId,
          now,
        ],
      );
      await logStep(manager, id, 'queued', { reason: 'appointment-moved', at: now });
      await this.timers.schedule(id, dueAt);
    }
  }

  private async cancel(
    manager: EntityManager,
    where: string,
    params: unknown[],
    reason: string,
  ): Promise<void> {
    const now = this.clock.now();
    const [rows] = await manager.query<[{ id: string }[], number]>(
      `UPDATE ${T('notifications')} SET status = 'cancelled', reason = '${reason}', updated_at = now()
        WHERE kind = 'reminder' AND status = 'queued' AND ${where} RETURNING id`,
      params,
    );
    for (const row of rows) await logStep(manager, row.id, 'cancelled', { reason, at: now });
  }
}
