import { randomUUID } from 'node:crypto';
import { type EntityManager } from 'typeorm';
import {
  AttendanceRepository,
  type AttendanceRow,
  type AttendanceWrite,
  type SessionRecordRow,
} from '../attendance/attendance.repository';
import { ReadRoster } from '../attendance/read-roster';
import { RecordAttendance } from '../attendance/record-attendance';
import { RecordingDeferredEvaluation, SITE_ID, recordingDoubles } from './doubles';

/** Attendance held in memory, answering as the SQL of AttendanceRepository does. */
export class InMemoryAttendance extends AttendanceRepository {
  readonly sessions: SessionRecordRow[] = [];
  readonly rows = new Map<string, AttendanceRow & { occurrence_id: string }>();
  readonly signedAppointments = new Set<string>();

  override sessionsOf(_m: EntityManager, occurrenceId: string): Promise<SessionRecordRow[]> {
    return Promise.resolve(this.sessions.filter((s) => s.occurrence_id === occurrenceId));
  }

  override hasSignedNote(_m: EntityManager, appointmentIds: readonly string[]): Promise<boolean> {
    return Promise.resolve(appointmentIds.some((id) => this.signedAppointments.has(id)));
  }

  override findAll(
    _m: EntityManager,
    appointmentIds: readonly string[],
  ): Promise<Map<string, AttendanceRow>> {
    return Promise.resolve(
      new Map(
        appointmentIds.flatMap((id) => {
          const row = this.rows.get(id);
          return row === undefined ? [] : [[id, row] as const];
        }),
      ),
    );
  }

  override rosterOf(_m: EntityManager, occurrenceId: string): Promise<AttendanceRow[]> {
    return Promise.resolve([...this.rows.values()].filter((r) => r.occurrence_id === occurrenceId));
  }

  override upsert(_m: EntityManager, w: AttendanceWrite): Promise<AttendanceRow> {
    const session = this.sessions.find((s) => s.appointment_id === w.appointmentId);
    if (session === undefined) throw new Error('no such appointment');
    const existing = this.rows.get(w.appointmentId);
    const row = {
      attendance_id: existing?.attendance_id ?? w.attendanceId,
      appointment_id: w.appointmentId,
      occurrence_id: session.occurrence_id,
      client_id: session.client_id,
      outcome: w.outcome,
      minutes_attended: w.minutes,
      reason_code: w.reason,
      session_date: w.sessionDate,
      revision: (existing?.revision ?? 0) + 1,
    };
    this.rows.set(w.appointmentId, row);
    return Promise.resolve(row);
  }
}

/** A 90-minute appointment of an occurrence, at 9:00 Chicago on Monday 3 March 2025 unless overridden. */
export function aSessionRecord(overrides: Partial<SessionRecordRow> = {}): SessionRecordRow {
  return {
    appointment_id: randomUUID(),
    occurrence_id: randomUUID(),
    client_id: randomUUID(),
    episode_id: randomUUID(),
    site_id: SITE_ID,
    starts_at: new Date('2025-03-03T15:00:00.000Z'),
    ends_at: new Date('2025-03-03T16:30:00.000Z'),
    cancelled_at: null,
    ...overrides,
  };
}

/** The attendance use cases over in-memory records, after the session (clock at 17:00 UTC that day). */

export function attendanceUseCases() {
  const { uow, scoped, sites, clock, metrics, counters } = recordingDoubles();
  const attendance = new InMemoryAttendance();
  const evaluation = new RecordingDeferredEvaluation(uow);
  return {
    uow,
    attendance,
    sites,
    evaluation,
    clock,
    metrics,
    audit: scoped.trail,
    record: new RecordAttendance(uow, scoped, sites, attendance, evaluation, clock, counters),
    roster: new ReadRoster(uow, scoped, sites, attendance),
    /** An occurrence of two appointments of different clients. */
    occurrence(): [SessionRecordRow, SessionRecordRow] {
      const occurrenceId = randomUUID();
      const sessions: [SessionRecordRow, SessionRecordRow] = [
        aSessionRecord({ occurrence_id: occurrenceId }),
        aSessionRecord({ occurrence_id: occurrenceId }),
      ];
      attendance.sessions.push(...sessions);
      return sessions;
    },
    /** An occurrence of one appointment. */
    single(): SessionRecordRow {
      const session = aSessionRecord();
      attendance.sessions.push(session);
      return session;
    },
  };
}
