import { Injectable } from '@nestjs/common';
import { type MissedSessionReason } from '@stepwise/contracts';
import { type AttendanceOutcome } from '@stepwise/care-rules';
import { type ChangeStatement, type PendingEvent, type Transaction } from '@stepwise/messaging';
import { type EntityManager } from 'typeorm';
import { type SiteReference } from '../projections/sites.repository';
import { table } from '../sessions.tables';
import { siteOfOccurrence } from './attendance-view';

export interface SessionRecordRow {
  appointment_id: string;
  occurrence_id: string;
  client_id: string;
  episode_id: string;
  site_id: string;
  starts_at: Date;
  ends_at: Date;
  cancelled_at: Date | null;
}

export interface AttendanceRow {
  attendance_id: string;
  appointment_id: string;
  client_id: string;
  outcome: AttendanceOutcome;
  minutes_attended: number;
  reason_code: MissedSessionReason | null;
  session_date: string;
  revision: number;
}

/** An occurrence's appointments and the site they are at. */
export interface OccurrenceRecords {
  readonly sessions: SessionRecordRow[];
  readonly site: SiteReference;
}

/** One attendance record as the use case decided it. */
export interface AttendanceWrite {
  /** The stored record's id when it replaces one, a new one otherwise. */
  readonly attendanceId: string;
  readonly appointmentId: string;
  readonly outcome: AttendanceOutcome;
  readonly minutes: number;
  readonly reason: MissedSessionReason | null;
  readonly sessionDate: string;
  readonly recordedBy: string;
  readonly recordedAt: Date;
  /** 1 for a new record, the stored revision + 1 for a correction. */
  readonly revision: number;
}

const ATTENDANCE_COLUMNS = `attendance_id, appointment_id, client_id, outcome, minutes_attended, reason_code,
  to_char(session_date, 'YYYY-MM-DD') AS session_date, revision`;

/** All SQL of attendance: the occurrence's session records and their attendance rows. */
@Injectable()
export class AttendanceRepository {
  /**
   * The occurrence's appointments, locked so concurrent roster submissions queue, and their site as sessions
   * knows it (one statement). An occurrence sessions has no appointment of is unknown: 404.
   */
  async occurrenceOf(m: EntityManager, occurrenceId: string): Promise<OccurrenceRecords> {
    const rows = await m.query<
      (SessionRecordRow & { network_id: string | null; time_zone: string | null })[]
    >(
      `SELECT r.appointment_id, r.occurrence_id, r.client_id, r.episode_id, r.site_id, r.starts_at, r.ends_at,
              r.cancelled_at, s.network_id, s.time_zone
         FROM ${table('session_records')} r LEFT JOIN ${table('sites')} s ON s.site_id = r.site_id
        WHERE r.occurrence_id = $1 ORDER BY r.appointment_id FOR UPDATE OF r`,
      [occurrenceId],
    );
    const siteId = siteOfOccurrence(rows);
    const [first] = rows;
    return {
      sessions: rows.map(({ network_id: _network, time_zone: _zone, ...session }) => session),
      site: { siteId, networkId: first?.network_id ?? null, timeZone: first?.time_zone ?? null },
    };
  }

  /**
   * The records of these appointments, by appointment, and whether a signed note covers any of them: one
   * statement for a whole roster.
   */
  async recordsOf(
    m: EntityManager,
    appointmentIds: readonly string[],
  ): Promise<{ signed: boolean; stored: Map<string, AttendanceRow> }> {
    const [result] = await m.query<{ signed: boolean; stored: AttendanceRow[] }[]>(
      `SELECT EXISTS (SELECT 1 FROM ${table('note_entries')} e JOIN ${table('notes')} n USING (note_id)
                       WHERE e.appointment_id = ANY($1::uuid[]) AND n.signed_at IS NOT NULL) AS signed,
              COALESCE((SELECT json_agg(a) FROM (
                SELECT ${ATTENDANCE_COLUMNS} FROM ${table('attendance')} WHERE appointment_id = ANY($1::uuid[])
              ) AS a), '[]'::json) AS stored`,
      [appointmentIds],
    );
    const stored = result?.stored ?? [];
    return {
      signed: result?.signed === true,
      stored: new Map(stored.map((row) => [row.appointment_id, row])),
    };
  }

  rosterOf(m: EntityManager, occurrenceId: string): Promise<AttendanceRow[]> {
    return m.query<AttendanceRow[]>(
      `SELECT ${ATTENDANCE_COLUMNS} FROM ${table('attendance')} WHERE occurrence_id = $1 ORDER BY appointment_id`,
      [occurrenceId],
    );
  }

  /**
   * Stores the record as the use case decided it, with its event and its audit entry, in ONE statement of the
   * transaction (`Transaction.publishWithChange`): three round trips become one. The record is inserted
   * (revision 1) or replaces the stored one only if that is still the revision before `write.revision` — the
   * use case read it under the roster's lock, so anything else is a defect, refused rather than published.
   */
  async save(
    tx: Transaction,
    write: AttendanceWrite,
    event: PendingEvent,
    audit: ChangeStatement,
  ): Promise<void> {
    const { changed } = await tx.publishWithChange(
      {
        sql: `INSERT INTO ${table('attendance')} (attendance_id, appointment_id, occurrence_id, client_id,
                episode_id, site_id, outcome, minutes_attended, reason_code, session_date, revision, recorded_by,
                recorded_at)
              SELECT $1, appointment_id, occurrence_id, client_id, episode_id, site_id, $3, $4, $5, $6, $9, $7, $8
                FROM ${table('session_records')} WHERE appointment_id = $2
              ON CONFLICT (appointment_id) DO UPDATE SET outcome = EXCLUDED.outcome,
                minutes_attended = EXCLUDED.minutes_attended, reason_code = EXCLUDED.reason_code,
                session_date = EXCLUDED.session_date, revision = EXCLUDED.revision,
                recorded_by = EXCLUDED.recorded_by, recorded_at = EXCLUDED.recorded_at
              WHERE attendance.revision = EXCLUDED.revision - 1
              RETURNING attendance_id`,
        parameters: [
          write.attendanceId,
          write.appointmentId,
          write.outcome,
          write.minutes,
          write.reason,
          write.sessionDate,
          write.recordedBy,
          write.recordedAt,
          write.revision,
        ],
      },
      event,
      [audit],
    );
    if (!changed) {
      throw new Error(
        `The attendance of an appointment changed under its roster's lock (revision ${write.revision})`,
      );
    }
  }
}
