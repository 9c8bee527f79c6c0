import { Injectable } from '@nestjs/common';
import { type SessionType } from '@stepwise/contracts';
import { type Transaction } from '@stepwise/messaging';
import { type RecordKind, timestampKey } from '@stepwise/security';
import { DataSource, type EntityManager } from 'typeorm';
import { table } from '../scheduling.schema';
import { lockFacilitatorAndRoom } from '../schedule/slot-locks';

export interface OccurrenceRow {
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
  /** The keyset position (`starts_at` as text), for the next page's cursor. */
  key: string;
}

export interface AppointmentRow {
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

/** A range of local dates (`to` excluded) and a keyset page in it. */
export interface CalendarPage {
  readonly from: string;
  readonly to: string;
  readonly limit: number;
  /** The `[key, id]` of the last row of the previous page. */
  readonly after?: readonly [string, string];
}

/** A facilitator (and room) for a time, for the overlap check; `except` is the occurrence being moved. */
export interface SessionSlot {
  readonly siteId: string;
  readonly facilitatorId: string;
  readonly room: string | null;
  readonly start: Date;
  readonly end: Date;
  readonly except?: string;
}

export interface NewSession {
  readonly occurrenceId: string;
  readonly appointmentId: string;
  readonly siteId: string;
  readonly kind: string;
  readonly sessionType: SessionType;
  readonly facilitatorId: string;
  readonly room: string | null;
  readonly videoLink: string | null;
  readonly modality: string;
  readonly localDate: string;
  readonly clientId: string;
  readonly episodeId: string;
  readonly start: Date;
  readonly end: Date;
}

const NETWORK_OF_SITE = `(SELECT s.network_id FROM ${table('sites')} s WHERE s.id = site_id) AS network_id`;

/** An appointment as `ScopedRecords` loads it: its site and network, and the client it is about. */
export const APPOINTMENT_RECORD: RecordKind<{
  id: string;
  site_id: string;
  network_id: string;
  client_id: string;
}> = {
  table: table('appointments'),
  columns: `id, site_id, client_id, ${NETWORK_OF_SITE}`,
  resourceType: 'appointment',
  clientIdOf: (row) => row.client_id,
};

/** An occurrence's roster: who is booked is client data, audited as such. */
export const ROSTER_RECORD: RecordKind<{ id: string; site_id: string; network_id: string }> = {
  table: table('occurrences'),
  columns: `id, site_id, ${NETWORK_OF_SITE}`,
  resourceType: 'roster',
  clientIdOf: () => null,
};

const OCCURRENCE = `o.id, o.series_id, o.site_id, o.kind, o.session_type, o.facilitator_id, o.room, o.modality,
  o.local_date::text AS local_date, o.starts_at, o.ends_at, o.status, ${timestampKey('o.starts_at')} AS key`;
const APPOINTMENT = `a.id, a.occurrence_id, a.client_id, a.episode_id, a.site_id, s.network_id, o.kind, o.session_type,
  o.facilitator_id, o.room, a.starts_at, a.ends_at, a.status, a.cancel_reason, ${timestampKey('a.starts_at')} AS key`;
const APPOINTMENT_FROM = `${table('appointments')} a JOIN ${table('occurrences')} o ON o.id = a.occurrence_id
  JOIN ${table('sites')} s ON s.id = a.site_id`;

/** All SQL of calendars and appointments. */
@Injectable()
export class AppointmentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Occurrences of a site or a facilitator in a range, in `(starts_at, id)` order. */
  occurrences(
    filter: { readonly column: 'site_id' | 'facilitator_id'; readonly value: string },
    page: CalendarPage,
  ): Promise<OccurrenceRow[]> {
    const params: unknown[] = [filter.value, page.from, page.to, page.limit + 1];
    if (page.after !== undefined) params.push(page.after[0], page.after[1]);
    return this.dataSource.query<OccurrenceRow[]>(
      `SELECT ${OCCURRENCE} FROM ${table('occurrences')} o
        WHERE o.${filter.column} = $1 AND o.local_date >= $2 AND o.local_date < $3
          ${page.after === undefined ? '' : 'AND (o.starts_at, o.id) > ($5::timestamptz, $6::uuid)'}
        ORDER BY o.starts_at, o.id LIMIT $4`,
      params,
    );
  }

  /** A client's appointments at a site in a range, in `(starts_at, id)` order. */
  clientAppointments(clientId: string, siteId: string, page: CalendarPage): Promise<AppointmentRow[]> {
    const params: unknown[] = [clientId, siteId, page.from, page.to, page.limit + 1];
    if (page.after !== undefined) params.push(page.after[0], page.after[1]);
    return this.dataSource.query<AppointmentRow[]>(
      `SELECT ${APPOINTMENT} FROM ${APPOINTMENT_FROM}
        WHERE a.client_id = $1 AND a.site_id = $2 AND o.local_date >= $3 AND o.local_date < $4
          ${page.after === undefined ? '' : 'AND (a.starts_at, a.id) > ($6::timestamptz, $7::uuid)'}
        ORDER BY a.starts_at, a.id LIMIT $5`,
      params,
    );
  }

  /** A client's appointments at the sites of a network, the newest `limit` by start (the FHIR search). */
  clientAppointmentsInNetwork(clientId: string, networkId: string, limit: number): Promise<AppointmentRow[]> {
    return this.dataSource.query<AppointmentRow[]>(
      `SELECT ${APPOINTMENT} FROM ${APPOINTMENT_FROM}
        WHERE a.client_id = $1 AND s.network_id = $2
        ORDER BY a.starts_at DESC, a.id DESC LIMIT $3`,
      [clientId, networkId, limit],
    );
  }

  /** An occurrence the caller has already loaded through `ScopedRecords` (so it exists). */
  async occurrence(occurrenceId: string): Promise<OccurrenceRow> {
    const [row] = await this.dataSource.query<OccurrenceRow[]>(
      `SELECT ${OCCURRENCE} FROM ${table('occurrences')} o WHERE o.id = $1`,
      [occurrenceId],
    );
    if (row === undefined) throw new Error('occurrence vanished');
    return row;
  }

  /** The scheduled appointments of an occurrence, by client. */
  attendees(occurrenceId: string): Promise<AppointmentRow[]> {
    return this.dataSource.query<AppointmentRow[]>(
      `SELECT ${APPOINTMENT} FROM ${APPOINTMENT_FROM} WHERE a.occurrence_id = $1 AND a.status = 'scheduled'
        ORDER BY a.client_id`,
      [occurrenceId],
    );
  }

  /** An appointment the caller has already loaded through `ScopedRecords` (so it exists). */
  async appointment(manager: EntityManager, appointmentId: string): Promise<AppointmentRow> {
    const [row] = await manager.query<AppointmentRow[]>(
      `SELECT ${APPOINTMENT} FROM ${APPOINTMENT_FROM} WHERE a.id = $1`,
      [appointmentId],
    );
    if (row === undefined) throw new Error('appointment vanished');
    return row;
  }

  async siteTimeZone(manager: EntityManager, siteId: string): Promise<string | undefined> {
    const [site] = await manager.query<{ time_zone: string }[]>(
      `SELECT time_zone FROM ${table('sites')} WHERE id = $1`,
      [siteId],
    );
    return site?.time_zone;
  }

  /** Whether the staff member works at the site and is active. */
  async isActiveStaffAt(manager: EntityManager, staffId: string, siteId: string): Promise<boolean> {
    const [row] = await manager.query<{ id: string }[]>(
      `SELECT id FROM ${table('staff_members')} WHERE id = $1 AND $2::uuid = ANY(site_ids) AND active`,
      [staffId, siteId],
    );
    return row !== undefined;
  }

  /**
   * Locks the facilitator and room (so two bookings cannot both see them free), then names the first of
   * them already booked at an overlapping time, if any.
   */
  async lockAndFindClash(tx: Transaction, slot: SessionSlot): Promise<'facilitator' | 'room' | undefined> {
    await lockFacilitatorAndRoom(tx, slot);
    const [clash] = await tx.manager.query<{ what: 'facilitator' | 'room' }[]>(
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
    return clash?.what;
  }

  /** An individual or family session: its own occurrence and the one appointment in it. */
  async insertSession(manager: EntityManager, s: NewSession): Promise<void> {
    const times = [s.start.toISOString(), s.end.toISOString()];
    await manager.query(
      `INSERT INTO ${table('occurrences')}
         (id, site_id, kind, session_type, facilitator_id, room, video_link, modality, local_date, starts_at, ends_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        s.occurrenceId,
        s.siteId,
        s.kind,
        s.sessionType,
        s.facilitatorId,
        s.room,
        s.videoLink,
        s.modality,
        s.localDate,
        ...times,
      ],
    );
    await manager.query(
      `INSERT INTO ${table('appointments')} (id, occurrence_id, client_id, episode_id, site_id, starts_at, ends_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [s.appointmentId, s.occurrenceId, s.clientId, s.episodeId, s.siteId, ...times],
    );
  }

  /** Moves an appointment and its own occurrence to a new time. */
  async move(
    manager: EntityManager,
    current: { readonly id: string; readonly occurrenceId: string },
    to: { readonly start: Date; readonly end: Date; readonly localDate: string },
  ): Promise<void> {
    await manager.query(
      `UPDATE ${table('occurrences')} SET starts_at = $2, ends_at = $3, local_date = $4 WHERE id = $1`,
      [current.occurrenceId, to.start.toISOString(), to.end.toISOString(), to.localDate],
    );
    await manager.query(
      `UPDATE ${table('appointments')} SET starts_at = $2, ends_at = $3, updated_at = now() WHERE id = $1`,
      [current.id, to.start.toISOString(), to.end.toISOString()],
    );
  }

  /** Cancels a scheduled appointment; false when it was not scheduled (already cancelled). */
  async cancel(manager: EntityManager, appointmentId: string, reason: string): Promise<boolean> {
    const [[updated]] = await manager.query<[{ id: string }[], number]>(
      `UPDATE ${table('appointments')} SET status = 'cancelled', cancel_reason = $2, updated_at = now()
        WHERE id = $1 AND status = 'scheduled' RETURNING id`,
      [appointmentId, reason],
    );
    return updated !== undefined;
  }

  async cancelOccurrence(manager: EntityManager, occurrenceId: string): Promise<void> {
    await manager.query(`UPDATE ${table('occurrences')} SET status = 'cancelled' WHERE id = $1`, [
      occurrenceId,
    ]);
  }
}
