import { Injectable } from '@nestjs/common';
import { type MissedSessionReason } from '@stepwise/contracts';
import { type AttendanceOutcome } from '@stepwise/care-rules';
import { type EntityManager } from 'typeorm';
import { table } from '../sessions.tables';

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

/** One attendance record as the use case decided it. */
export interface AttendanceWrite {
  readonly attendanceId: string;
  readonly appointmentId: string;
  readonly outcome: AttendanceOutcome;
  readonly minutes: number;
  readonly reason: MissedSessionReason | null;
  readonly sessionDate: string;
  readonly recordedBy: string;
  readonly recordedAt: Date;
}

const ATTENDANCE_COLUMNS = `attendance_id, appointment_id, client_id, outcome, minutes_attended, reason_code,
  to_char(session_date, 'YYYY-MM-DD') AS session_date, revision`;

/** All SQL of attendance: the occurrence's session records and their attendance rows. */
@Injectable()
export class AttendanceRepository {
  /** The occurrence's appointments, locked so concurrent roster submissions queue. */
  sessionsOf(m: EntityManager, occurrenceId: string): Promise<SessionRecordRow[]> {
    return m.query<SessionRecordRow[]>(
      `SELECT appointment_id, occurrence_id, client_id, episode_id, site_id, starts_at, ends_at, cancelled_at
         FROM ${table('session_records')} WHERE occurrence_id = $1 ORDER BY appointment_id FOR UPDATE`,
      [occurrenceId],
    );
  }

  async hasSignedNote(m: EntityManager, appointmentIds: readonly string[]): Promise<boolean> {
    const [signed] = await m.query<unknown[]>(
      `SELECT 1 FROM ${table('note_entries')} e JOIN ${table('notes')} n USING (note_id)
        WHERE e.appointment_id = ANY($1::uuid[]) AND n.signed_at IS NOT NULL LIMIT 1`,
      [appointmentIds],
    );
    return signed !== undefined;
  }

  /** The records of these appointments, by appointment: one statement for a whole roster. */
  async findAll(m: EntityManager, appointmentIds: readonly string[]): Promise<Map<string, AttendanceRow>> {
    const rows = await m.query<AttendanceRow[]>(
      `SELECT ${ATTENDANCE_COLUMNS} FROM ${table('attendance')} WHERE appointment_id = ANY($1::uuid[])`,
      [appointmentIds],
    );
    return new Map(rows.map((row) => [row.appointment_id, row]));
  }

  rosterOf(m: EntityManager, occurrenceId: string): Promise<AttendanceRow[]> {
    return m.query<AttendanceRow[]>(
      `SELECT ${ATTENDANCE_COLUMNS} FROM ${table('attendance')} WHERE occurrence_id = $1 ORDER BY appointment_id`,
      [occurrenceId],
    );
  }

  /** Inserts the record, or replaces it with revision + 1 (the new attendance id is kept only on insert). */
  async upsert(m: EntityManager, write: AttendanceWrite): Promise<AttendanceRow> {
    const [row] = await m.query<AttendanceRow[]>(
      `INSERT INTO ${table('attendance')} (attendance_id, appointment_id, occurrence_id, client_id, episode_id,
         site_id, outcome, minutes_attended, reason_code, session_date, revision, recorded_by, recorded_at)
       SELECT $1, appointment_id, occurrence_id, client_id, episode_id, site_id, $3, $4, $5, $6, 1, $7, $8
         FROM ${table('session_records')} WHERE appointment_id = $2
       ON CONFLICT (appointment_id) DO UPDATE SET outcome = EXCLUDED.outcome,
         minutes_attended = EXCLUDED.minutes_attended, reason_code = EXCLUDED.reason_code,
         session_date = EXCLUDED.session_date, revision = attendance.revision + 1,
         recorded_by = EXCLUDED.recorded_by, recorded_at = EXCLUDED.recorded_at
       RETURNING ${ATTENDANCE_COLUMNS}`,
      [
        write.attendanceId,
        write.appointmentId,
        write.outcome,
        write.minutes,
        write.reason,
        write.sessionDate,
        write.recordedBy,
        write.recordedAt,
      ],
    );
    if (row === undefined) throw new Error('attendance upsert returned nothing');
    return row;
  }
}
