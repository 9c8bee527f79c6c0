import { randomUUID } from 'node:crypto';
import { type PendingEvent, type Transaction } from '@stepwise/messaging';
import { type EntityManager } from 'typeorm';
import {
  AttendanceRepository,
  type AttendanceRow,
  type AttendanceWrite,
  type OccurrenceRecords,
  type SessionRecordRow,
} from '../attendance/attendance.repository';
import { ReadRoster } from '../attendance/read-roster';
import { RecordAttendance } from '../attendance/record-attendance';
import { siteOfOccurrence } from '../attendance/attendance-view';
import { type InMemorySites, RecordingDeferredEvaluation, SITE_ID, recordingDoubles } from './doubles';

/** Attendance held in memory, answering as the SQL of AttendanceRepository does. */
export class InMemoryAttendance extends AttendanceRepository {
  readonly sessions: SessionRecordRow[] = [];
  readonly rows = new Map<string, AttendanceRow & { occurrence_id: string }>();
  readonly signedAppointments = new Set<string>();

  constructor(private readonly sites: InMemorySites) {
    super();
  }

  override async occurrenceOf(m: EntityManager, occurrenceId: string): Promise<OccurrenceRecords> {
    const sessions = this.sessions.filter((s) => s.occurrence_id === occurrenceId);
    return { sessions, site: await this.sites.site(m, siteOfOccurrence(sessions)) };
  }

  override recordsOf(
    _m: EntityManager,
    appointmentIds: readonly string[],
  ): Promise<{ signed: boolean; stored: Map<string, AttendanceRow> }> {
    return Promise.resolve({
      signed: appointmentIds.some((id) => this.signedAppointments.has(id)),
      stored: new Map(
        appointmentIds.flatMap((id) => {
          const row = this.rows.get(id);
          return row === undefined ? [] : [[id, row] as const];
        }),
      ),
    });
  }

  override rosterOf(_m: EntityManager, occurrenceId: string): Promise<AttendanceRow[]> {
    return Promise.resolve([...this.rows.values()].filter((r) => r.occurrence_id === occurrenceId));
  }

  /** Applies the record in memory and publishes its event; the audit entry was recorded when it was built. */
  override async save(tx: Transaction, w: AttendanceWrite, event: PendingEvent): Promise<void> {
    const session = this.sessions.find((s) => s.appointment_id === w.appointmentId);
    if (session === undefined) throw new Error('no such appointment');
    const existing = this.rows.get(w.appointmentId);
    if ((existing?.revision ?? 0) !== w.revision - 1) throw new Error('attendance changed under the lock');
    this.rows.set(w.appointmentId, {
      attendance_id: existing?.attendance_id ?? w.attendanceId,
      appointment_id: w.appointmentId,
      occurrence_id: session.occurrence_id,
      client_id: session.client_id,
      outcome: w.outcome,
      minutes_attended: w.minutes,
      reason_code: w.reason,
      session_date: w.sessionDate,
      revision: w.revision,
    });
    await tx.publishWithChange({ sql: '-- applied in memory', parameters: [] }, event);
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
  const attendance = new InMemoryAttendance(sites);
  const evaluation = new RecordingDeferredEvaluation(uow);
  return {
    uow,
    attendance,
    sites,
    evaluation,
    clock,
    metrics,
    audit: scoped.trail,
    record: new RecordAttendance(uow, scoped, attendance, evaluation, clock, counters),
    roster: new ReadRoster(uow, scoped, attendance),
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
