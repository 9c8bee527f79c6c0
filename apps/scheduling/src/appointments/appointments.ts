import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  type CancellationReason,
  Modality,
  type RescheduleReason,
  type SessionType,
} from '@stepwise/contracts';
import { type Transaction, UnitOfWork } from '@stepwise/messaging';
import {
  type Actor,
  AuditTrail,
  type Page,
  ProblemException,
  SiteScope,
  decodeCursor,
  pageLimit,
  timestampKey,
  toPage,
} from '@stepwise/security';
import { DataSource } from 'typeorm';
import { Clock } from '@stepwise/platform';
import { daysBetween, localDateOf } from '@stepwise/care-rules';
import { table } from '../scheduling.schema';
import { type BookAppointmentDto, type CalendarQuery } from './appointment.dto';

export interface OccurrenceView {
  id: string;
  seriesId: string | null;
  siteId: string;
  kind: string;
  sessionType: string;
  facilitatorId: string;
  room: string | null;
  modality: string;
  localDate: string;
  startsAt: string;
  endsAt: string;
  status: string;
}

export interface AppointmentView {
  id: string;
  occurrenceId: string;
  clientId: string;
  episodeId: string;
  siteId: string;
  kind: string;
  sessionType: string;
  facilitatorId: string;
  startsAt: string;
  endsAt: string;
  status: string;
  cancelReason: string | null;
}

interface OccurrenceRow {
  id: string;
  series_id: string | null;
  site_id: string;
  kind: string;
  session_type: string;
  facilitator_id: string;
  room: string | null;
  modality: string;
  local_date: string;
  starts_at: Date;
  ends_at: Date;
  status: string;
  key: string;
}

interface AppointmentRow {
  id: string;
  occurrence_id: string;
  client_id: string;
  episode_id: string;
  site_id: string;
  network_id: string;
  kind: string;
  session_type: string;
  facilitator_id: string;
  room: string | null;
  starts_at: Date;
  ends_at: Date;
  status: string;
  cancel_reason: string | null;
  key: string;
}

const OCCURRENCE = `o.id, o.series_id, o.site_id, o.kind, o.session_type, o.facilitator_id, o.room, o.modality,
  o.local_date::text AS local_date, o.starts_at, o.ends_at, o.status, ${timestampKey('o.starts_at')} AS key`;
const APPOINTMENT = `a.id, a.occurrence_id, a.client_id, a.episode_id, a.site_id, s.network_id, o.kind, o.session_type,
  o.facilitator_id, o.room, a.starts_at, a.ends_at, a.status, a.cancel_reason, ${timestampKey('a.starts_at')} AS key`;
const APPOINTMENT_FROM = `${table('appointments')} a JOIN ${table('occurrences')} o ON o.id = a.occurrence_id
  JOIN ${table('sites')} s ON s.id = a.site_id`;

const occurrenceView = (r: OccurrenceRow): OccurrenceView => ({
  id: r.id,
  seriesId: r.series_id,
  siteId: r.site_id,
  kind: r.kind,
  sessionType: r.session_type,
  facilitatorId: r.facilitator_id,
  room: r.room,
  modality: r.modality,
  localDate: r.local_date,
  startsAt: r.starts_at.toISOString(),
  endsAt: r.ends_at.toISOString(),
  status: r.status,
});
const appointmentView = (r: AppointmentRow): AppointmentView => ({
  id: r.id,
  occurrenceId: r.occurrence_id,
  clientId: r.client_id,
  episodeId: r.episode_id,
  siteId: r.site_id,
  kind: r.kind,
  sessionType: r.session_type,
  facilitatorId: r.facilitator_id,
  startsAt: r.starts_at.toISOString(),
  endsAt: r.ends_at.toISOString(),
  status: r.status,
  cancelReason: r.cancel_reason,
});

const MAX_RANGE_DAYS = 92;

function checkRange(query: CalendarQuery): void {
  const days = daysBetween(query.from, query.to);
  if (days <= 0) throw new ProblemException('validation-failed', { detail: 'to must be later than from' });
  if (days > MAX_RANGE_DAYS) {
    throw new ProblemException('validation-failed', {
      detail: `A range covers at most ${MAX_RANGE_DAYS} days`,
    });
  }
}

function checkInterval(startsAt: string, endsAt: string): { start: Date; end: Date } {
  const start = new Date(startsAt);
  const end = new Date(endsAt);
  if (!(end.getTime() > start.getTime())) {
    throw new ProblemException('validation-failed', { detail: 'endsAt must be later than startsAt' });
  }
  if (end.getTime() - start.getTime() > 8 * 3_600_000) {
    throw new ProblemException('validation-failed', { detail: 'A session lasts at most 8 hours' });
  }
  return { start, end };
}

/**
 * Calendars (site, facilitator, client) over a date range in keyset pages, the roster of an occurrence,
 * and appointments changed by hand: booking an individual or family session (facilitator and room must be
 * free: 409 otherwise), rescheduling it and cancelling any appointment with a reason code.
 */
@Injectable()
export class Appointments {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly dataSource: DataSource,
    private readonly siteScope: SiteScope,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async occurrences(
    filter: { column: 'site_id' | 'facilitator_id'; value: string },
    query: CalendarQuery,
  ): Promise<Page<OccurrenceView>> {
    checkRange(query);
    const limit = pageLimit(query);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, 2);
    const params: unknown[] = [filter.value, query.from, query.to, limit + 1];
    if (after !== undefined) params.push(String(after[0]), String(after[1]));
    const rows = await this.dataSource.query<OccurrenceRow[]>(
      `SELECT ${OCCURRENCE} FROM ${table('occurrences')} o
        WHERE o.${filter.column} = $1 AND o.local_date >= $2 AND o.local_date < $3
          ${after === undefined ? '' : 'AND (o.starts_at, o.id) > ($5::timestamptz, $6::uuid)'}
        ORDER BY o.starts_at, o.id LIMIT $4`,
      params,
    );
    return toPage(rows, limit, (r) => [r.key, r.id], occurrenceView);
  }

  async clientCalendar(
    actor: Actor,
    clientId: string,
    siteId: string,
    query: CalendarQuery,
  ): Promise<Page<AppointmentView>> {
    checkRange(query);
    const limit = pageLimit(query);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, 2);
    const params: unknown[] = [clientId, siteId, query.from, query.to, limit + 1];
    if (after !== undefined) params.push(String(after[0]), String(after[1]));
    const rows = await this.dataSource.query<AppointmentRow[]>(
      `SELECT ${APPOINTMENT} FROM ${APPOINTMENT_FROM}
        WHERE a.client_id = $1 AND a.site_id = $2 AND o.local_date >= $3 AND o.local_date < $4
          ${after === undefined ? '' : 'AND (a.starts_at, a.id) > ($6::timestamptz, $7::uuid)'}
        ORDER BY a.starts_at, a.id LIMIT $5`,
      params,
    );
    await this.audit.record(actor, {
      action: 'list',
      resourceType: 'appointment',
      clientId,
      siteId,
      outcome: 'allowed',
    });
    return toPage(rows, limit, (r) => [r.key, r.id], appointmentView);
  }

  async roster(
    actor: Actor,
    occurrenceId: string,
  ): Promise<{ occurrence: OccurrenceView; attendees: AppointmentView[] }> {
    const [occurrence] = await this.dataSource.query<(OccurrenceRow & { network_id: string })[]>(
      `SELECT ${OCCURRENCE}, s.network_id FROM ${table('occurrences')} o JOIN ${table('sites')} s ON s.id = o.site_id
        WHERE o.id = $1`,
      [occurrenceId],
    );
    if (occurrence === undefined) throw new ProblemException('not-found', { detail: 'No such occurrence' });
    const attempt = { action: 'read', resourceType: 'roster', resourceId: occurrenceId };
    await this.siteScope.assertRecord(
      actor,
      { siteId: occurrence.site_id, networkId: occurrence.network_id },
      attempt,
    );
    const rows = await this.dataSource.query<AppointmentRow[]>(
      `SELECT ${APPOINTMENT} FROM ${APPOINTMENT_FROM} WHERE a.occurrence_id = $1 AND a.status = 'scheduled'
        ORDER BY a.client_id`,
      [occurrenceId],
    );
    await this.audit.record(actor, { ...attempt, siteId: occurrence.site_id, outcome: 'allowed' });
    return { occurrence: occurrenceView(occurrence), attendees: rows.map(appointmentView) };
  }

  async book(actor: Actor, siteId: string, body: BookAppointmentDto): Promise<AppointmentView> {
    const { start, end } = checkInterval(body.startsAt, body.endsAt);
    if ((body.room === undefined) === (body.videoLink === undefined)) {
      throw new ProblemException('unprocessable', { detail: 'Give exactly one of room and videoLink' });
    }
    if (start.getTime() < this.clock.now().getTime()) {
      throw new ProblemException('unprocessable', { detail: 'An appointment cannot start in the past' });
    }
    return this.unitOfWork.run(async (tx) => {
      const [site] = await tx.manager.query<{ time_zone: string }[]>(
        `SELECT time_zone FROM ${table('sites')} WHERE id = $1`,
        [siteId],
      );
      if (site === undefined) throw new ProblemException('not-found', { detail: 'No such site' });
      const [facilitator] = await tx.manager.query<{ id: string }[]>(
        `SELECT id FROM ${table('staff_members')} WHERE id = $1 AND $2::uuid = ANY(site_ids) AND active`,
        [body.facilitatorId, siteId],
      );
      if (facilitator === undefined)
        throw new ProblemException('not-found', { detail: 'No such staff member here' });
      await this.assertFree(tx, {
        siteId,
        facilitatorId: body.facilitatorId,
        room: body.room ?? null,
        start,
        end,
      });
      const occurrenceId = randomUUID();
      const modality = body.room === undefined ? Modality.Telehealth : Modality.InPerson;
      await tx.manager.query(
        `INSERT INTO ${table('occurrences')}
           (id, site_id, kind, session_type, facilitator_id, room, video_link, modality, local_date, starts_at, ends_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          occurrenceId,
          siteId,
          body.kind,
          body.sessionType satisfies SessionType,
          body.facilitatorId,
          body.room ?? null,
          body.videoLink ?? null,
          modality,
          localDateOf(start, site.time_zone),
          start.toISOString(),
          end.toISOString(),
        ],
      );
      const id = randomUUID();
      await tx.manager.query(
        `INSERT INTO ${table('appointments')} (id, occurrence_id, client_id, episode_id, site_id, starts_at, ends_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, occurrenceId, body.clientId, body.episodeId, siteId, start.toISOString(), end.toISOString()],
      );
      await tx.publish('AppointmentScheduled', {
        appointmentId: id,
        clientId: body.clientId,
        episodeId: body.episodeId,
        kind: body.kind,
        sessionType: body.sessionType,
        occurrenceId,
        siteId,
        startsAt: start.toISOString(),
        endsAt: end.toISOString(),
        modality,
        facilitatorId: body.facilitatorId,
      });
      await this.audit.record(
        actor,
        {
          action: 'create',
          resourceType: 'appointment',
          resourceId: id,
          clientId: body.clientId,
          siteId,
          outcome: 'allowed',
        },
        tx.manager,
      );
      return this.load(tx, id);
    });
  }

  async reschedule(
    actor: Actor,
    appointmentId: string,
    body: { startsAt: string; endsAt: string; reason: RescheduleReason },
  ): Promise<AppointmentView> {
    const { start, end } = checkInterval(body.startsAt, body.endsAt);
    const current = await this.authorize(actor, appointmentId, 'reschedule');
    if (current.kind === 'group') {
      throw new ProblemException('unprocessable', {
        detail: 'A group appointment follows its series; reschedule individual and family sessions only',
      });
    }
    if (current.status !== 'scheduled')
      throw new ProblemException('invalid-transition', { detail: 'The appointment is cancelled' });
    return this.unitOfWork.run(async (tx) => {
      const [site] = await tx.manager.query<{ time_zone: string }[]>(
        `SELECT time_zone FROM ${table('sites')} WHERE id = $1`,
        [current.site_id],
      );
      await this.assertFree(tx, {
        siteId: current.site_id,
        facilitatorId: current.facilitator_id,
        room: current.room,
        start,
        end,
        except: current.occurrence_id,
      });
      await tx.manager.query(
        `UPDATE ${table('occurrences')} SET starts_at = $2, ends_at = $3, local_date = $4 WHERE id = $1`,
        [
          current.occurrence_id,
          start.toISOString(),
          end.toISOString(),
          localDateOf(start, site?.time_zone ?? 'UTC'),
        ],
      );
      await tx.manager.query(
        `UPDATE ${table('appointments')} SET starts_at = $2, ends_at = $3, updated_at = now() WHERE id = $1`,
        [appointmentId, start.toISOString(), end.toISOString()],
      );
      await tx.publish('AppointmentRescheduled', {
        appointmentId,
        clientId: current.client_id,
        episodeId: current.episode_id,
        siteId: current.site_id,
        occurrenceId: current.occurrence_id,
        startsAt: start.toISOString(),
        endsAt: end.toISOString(),
        reason: body.reason,
      });
      await this.audit.record(
        actor,
        {
          action: 'reschedule',
          resourceType: 'appointment',
          resourceId: appointmentId,
          clientId: current.client_id,
          siteId: current.site_id,
          outcome: 'allowed',
        },
        tx.manager,
      );
      return this.load(tx, appointmentId);
    });
  }

  async cancel(actor: Actor, appointmentId: string, reason: CancellationReason): Promise<AppointmentView> {
    const current = await this.authorize(actor, appointmentId, 'cancel');
    return this.unitOfWork.run(async (tx) => {
      const [[updated]] = await tx.manager.query<[{ id: string }[], number]>(
        `UPDATE ${table('appointments')} SET status = 'cancelled', cancel_reason = $2, updated_at = now()
          WHERE id = $1 AND status = 'scheduled' RETURNING id`,
        [appointmentId, reason],
      );
      if (updated === undefined)
        throw new ProblemException('invalid-transition', { detail: 'The appointment is already cancelled' });
      if (current.kind !== 'group') {
        await tx.manager.query(`UPDATE ${table('occurrences')} SET status = 'cancelled' WHERE id = $1`, [
          current.occurrence_id,
        ]);
      }
      await tx.publish('AppointmentCancelled', {
        appointmentId,
        clientId: current.client_id,
        episodeId: current.episode_id,
        siteId: current.site_id,
        reason,
        cancelledAt: this.clock.now().toISOString(),
      });
      await this.audit.record(
        actor,
        {
          action: 'cancel',
          resourceType: 'appointment',
          resourceId: appointmentId,
          clientId: current.client_id,
          siteId: current.site_id,
          outcome: 'allowed',
        },
        tx.manager,
      );
      return this.load(tx, appointmentId);
    });
  }

  /** Locks the facilitator and room, then refuses an overlap with any of their scheduled sessions (409). */
  private async assertFree(
    tx: Transaction,
    slot: {
      siteId: string;
      facilitatorId: string;
      room: string | null;
      start: Date;
      end: Date;
      except?: string;
    },
  ): Promise<void> {
    await tx.lockKey(`scheduling:staff:${slot.facilitatorId}`);
    if (slot.room !== null) await tx.lockKey(`scheduling:room:${slot.siteId}:${slot.room}`);
    const [clash] = await tx.manager.query<{ what: string }[]>(
      `SELECT CASE WHEN facilitator_id = $1 THEN 'facilitator' ELSE 'room' END AS what
         FROM ${table('occurrences')}
        WHERE status = 'scheduled' AND starts_at < $4 AND ends_at > $3 AND id <> coalesce($5::uuid, '00000000-0000-0000-0000-000000000000')
          AND (facilitator_id = $1 OR (site_id = $2 AND room = $6))
        LIMIT 1`,
      [
        slot.facilitatorId,
        slot.siteId,
        slot.start.toISOString(),
        slot.end.toISOString(),
        slot.except ?? null,
        slot.room,
      ],
    );
    if (clash !== undefined) {
      throw new ProblemException('schedule-conflict', {
        detail: `The ${clash.what} is already booked at that time`,
      });
    }
  }

  private async authorize(actor: Actor, appointmentId: string, action: string): Promise<AppointmentRow> {
    const [row] = await this.dataSource.query<AppointmentRow[]>(
      `SELECT ${APPOINTMENT} FROM ${APPOINTMENT_FROM} WHERE a.id = $1`,
      [appointmentId],
    );
    if (row === undefined) throw new ProblemException('not-found', { detail: 'No such appointment' });
    await this.siteScope.assertRecord(
      actor,
      { siteId: row.site_id, networkId: row.network_id },
      {
        action,
        resourceType: 'appointment',
        resourceId: appointmentId,
        clientId: row.client_id,
      },
    );
    return row;
  }

  private async load(tx: Transaction, appointmentId: string): Promise<AppointmentView> {
    const [row] = await tx.manager.query<AppointmentRow[]>(
      `SELECT ${APPOINTMENT} FROM ${APPOINTMENT_FROM} WHERE a.id = $1`,
      [appointmentId],
    );
    if (row === undefined) throw new Error('appointment vanished');
    return appointmentView(row);
  }
}
