import { type Transaction } from '@stepwise/messaging';
import { type EntityManager } from 'typeorm';
import {
  APPOINTMENT_RECORD,
  type AppointmentRow,
  type AppointmentsRepository,
  type CalendarPage,
  type NewSession,
  type OccurrenceRow,
  ROSTER_RECORD,
  type SessionSlot,
} from '../appointments/appointments.repository';
import { NETWORK } from './actors';
import { type InMemoryScopedRecords } from '@stepwise/security';
import { lockFacilitatorAndRoom } from '../schedule/slot-locks';

/** The public surface of a class: what a test double must offer in its place. */
export type PublicOf<T> = { [K in keyof T]: T[K] };

interface StoredAppointment {
  id: string;
  occurrenceId: string;
  clientId: string;
  episodeId: string;
  siteId: string;
  status: string;
  cancelReason: string | null;
}

/**
 * The appointments tables in memory, with the repository's semantics (date ranges with `to` excluded,
 * keyset order by start then id, overlap of scheduled occurrences); each stored appointment and occurrence
 * is also given to `records`, as the real tables are what `ScopedRecords` reads.
 */
export class InMemoryAppointments implements PublicOf<AppointmentsRepository> {
  readonly occurrenceRows = new Map<string, OccurrenceRow>();
  readonly appointmentRows = new Map<string, StoredAppointment>();
  readonly siteZones = new Map<string, string>();
  readonly staffSites = new Map<string, string[]>();

  constructor(private readonly records: InMemoryScopedRecords) {}

  addSite(siteId: string, timeZone = 'America/New_York'): void {
    this.siteZones.set(siteId, timeZone);
  }

  addStaff(staffId: string, siteIds: string[]): void {
    this.staffSites.set(staffId, siteIds);
  }

  addOccurrence(row: Omit<OccurrenceRow, 'key'>): void {
    this.occurrenceRows.set(row.id, { ...row, key: row.starts_at.toISOString() });
    this.records.put(ROSTER_RECORD, { id: row.id, site_id: row.site_id, network_id: NETWORK });
  }

  addAppointment(a: StoredAppointment): void {
    this.appointmentRows.set(a.id, a);
    this.records.put(APPOINTMENT_RECORD, {
      id: a.id,
      site_id: a.siteId,
      network_id: NETWORK,
      client_id: a.clientId,
    });
  }

  occurrences(
    filter: { readonly column: 'site_id' | 'facilitator_id'; readonly value: string },
    page: CalendarPage,
  ): Promise<OccurrenceRow[]> {
    const rows = [...this.occurrenceRows.values()].filter(
      (o) => o[filter.column] === filter.value && o.local_date >= page.from && o.local_date < page.to,
    );
    return Promise.resolve(keysetPage(rows, page));
  }

  clientAppointmentsInNetwork(clientId: string, networkId: string, limit: number): Promise<AppointmentRow[]> {
    const rows = [...this.appointmentRows.values()]
      .filter((a) => a.clientId === clientId)
      .map((a) => this.row(a))
      .filter((a) => a.network_id === networkId)
      .sort((a, b) => b.starts_at.getTime() - a.starts_at.getTime() || b.id.localeCompare(a.id));
    return Promise.resolve(rows.slice(0, limit));
  }

  clientAppointments(clientId: string, siteId: string, page: CalendarPage): Promise<AppointmentRow[]> {
    const rows = [...this.appointmentRows.values()]
      .filter((a) => a.clientId === clientId && a.siteId === siteId)
      .map((a) => this.row(a))
      .filter((a) => {
        const date = this.occurrenceRows.get(a.occurrence_id)?.local_date ?? '';
        return date >= page.from && date < page.to;
      });
    return Promise.resolve(keysetPage(rows, page));
  }

  occurrence(occurrenceId: string): Promise<OccurrenceRow> {
    const row = this.occurrenceRows.get(occurrenceId);
    return row === undefined ? Promise.reject(new Error('occurrence vanished')) : Promise.resolve(row);
  }

  attendees(occurrenceId: string): Promise<AppointmentRow[]> {
    const rows = [...this.appointmentRows.values()]
      .filter((a) => a.occurrenceId === occurrenceId && a.status === 'scheduled')
      .map((a) => this.row(a))
      .sort((x, y) => x.client_id.localeCompare(y.client_id));
    return Promise.resolve(rows);
  }

  appointment(_manager: EntityManager, appointmentId: string): Promise<AppointmentRow> {
    const a = this.appointmentRows.get(appointmentId);
    return a === undefined ? Promise.reject(new Error('appointment vanished')) : Promise.resolve(this.row(a));
  }

  siteTimeZone(_manager: EntityManager, siteId: string): Promise<string | undefined> {
    return Promise.resolve(this.siteZones.get(siteId));
  }

  isActiveStaffAt(_manager: EntityManager, staffId: string, siteId: string): Promise<boolean> {
    return Promise.resolve(this.staffSites.get(staffId)?.includes(siteId) ?? false);
  }

  async lockAndFindClash(tx: Transaction, slot: SessionSlot): Promise<'facilitator' | 'room' | undefined> {
    await lockFacilitatorAndRoom(tx, slot);
    const clash = [...this.occurrenceRows.values()].find(
      (o) =>
        o.status === 'scheduled' &&
        o.id !== slot.except &&
        o.starts_at < slot.end &&
        o.ends_at > slot.start &&
        (o.facilitator_id === slot.facilitatorId || (o.site_id === slot.siteId && o.room === slot.room)),
    );
    if (clash === undefined) return undefined;
    return clash.facilitator_id === slot.facilitatorId ? 'facilitator' : 'room';
  }

  insertSession(_manager: EntityManager, s: NewSession): Promise<void> {
    this.addOccurrence({
      id: s.occurrenceId,
      series_id: null,
      site_id: s.siteId,
      kind: s.kind,
      session_type: s.sessionType,
      facilitator_id: s.facilitatorId,
      room: s.room,
      modality: s.modality,
      local_date: s.localDate,
      starts_at: s.start,
      ends_at: s.end,
      status: 'scheduled',
    });
    this.addAppointment({
      id: s.appointmentId,
      occurrenceId: s.occurrenceId,
      clientId: s.clientId,
      episodeId: s.episodeId,
      siteId: s.siteId,
      status: 'scheduled',
      cancelReason: null,
    });
    return Promise.resolve();
  }

  move(
    _manager: EntityManager,
    current: { readonly id: string; readonly occurrenceId: string },
    to: { readonly start: Date; readonly end: Date; readonly localDate: string },
  ): Promise<void> {
    const o = this.occurrenceRows.get(current.occurrenceId);
    if (o !== undefined) {
      this.occurrenceRows.set(o.id, {
        ...o,
        starts_at: to.start,
        ends_at: to.end,
        local_date: to.localDate,
        key: to.start.toISOString(),
      });
    }
    return Promise.resolve();
  }

  cancel(_manager: EntityManager, appointmentId: string, reason: string): Promise<boolean> {
    const a = this.appointmentRows.get(appointmentId);
    if (a === undefined || a.status !== 'scheduled') return Promise.resolve(false);
    this.appointmentRows.set(a.id, { ...a, status: 'cancelled', cancelReason: reason });
    return Promise.resolve(true);
  }

  cancelOccurrence(_manager: EntityManager, occurrenceId: string): Promise<void> {
    const o = this.occurrenceRows.get(occurrenceId);
    if (o !== undefined) this.occurrenceRows.set(o.id, { ...o, status: 'cancelled' });
    return Promise.resolve();
  }

  asRepository(): AppointmentsRepository {
    return this as unknown as AppointmentsRepository;
  }

  /** An appointment joined with its occurrence (times come from the occurrence it follows). */
  private row(a: StoredAppointment): AppointmentRow {
    const o = this.occurrenceRows.get(a.occurrenceId);
    if (o === undefined) throw new Error(`appointment ${a.id} has no occurrence`);
    return {
      id: a.id,
      occurrence_id: a.occurrenceId,
      client_id: a.clientId,
      episode_id: a.episodeId,
      site_id: a.siteId,
      network_id: NETWORK,
      kind: o.kind,
      session_type: o.session_type,
      facilitator_id: o.facilitator_id,
      room: o.room,
      starts_at: o.starts_at,
      ends_at: o.ends_at,
      status: a.status,
      cancel_reason: a.cancelReason,
      key: o.starts_at.toISOString(),
    };
  }
}

/** `ORDER BY starts_at, id` after the cursor, `LIMIT limit + 1`, as the SQL pages. */
function keysetPage<R extends { key: string; id: string }>(rows: R[], page: CalendarPage): R[] {
  const after = page.after;
  return rows
    .filter((r) => after === undefined || r.key > after[0] || (r.key === after[0] && r.id > after[1]))
    .sort((x, y) => x.key.localeCompare(y.key) || x.id.localeCompare(y.id))
    .slice(0, page.limit + 1);
}
