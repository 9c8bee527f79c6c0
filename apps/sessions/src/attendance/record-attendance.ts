import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type AttendanceStatus, MissedSessionReason } from '@stepwise/contracts';
import { type Transaction, UnitOfWork } from '@stepwise/messaging';
import { type Actor, ProblemException } from '@stepwise/security';
import { Clock } from '@stepwise/platform';
import { EvaluateEpisode, lockEpisodes } from '../progress/evaluate-episode';
import { type AttendanceOutcome, isAttended, localDateOf } from '@stepwise/care-rules';
import { SiteRecords } from '../shared/site-records';
import { table } from '../sessions.tables';
import {
  type AttendanceEntryDto,
  type AttendanceView,
  type OccurrenceAttendanceView,
} from './attendance.dto';

interface SessionRecordRow {
  appointment_id: string;
  occurrence_id: string;
  client_id: string;
  episode_id: string;
  site_id: string;
  starts_at: Date;
  ends_at: Date;
  cancelled_at: Date | null;
}

interface AttendanceRow {
  attendance_id: string;
  appointment_id: string;
  client_id: string;
  outcome: AttendanceOutcome;
  minutes_attended: number;
  reason_code: MissedSessionReason | null;
  session_date: string;
  revision: number;
}

const ATTENDANCE_COLUMNS = `attendance_id, appointment_id, client_id, outcome, minutes_attended, reason_code,
  to_char(session_date, 'YYYY-MM-DD') AS session_date, revision`;

const view = (row: AttendanceRow, changed: boolean): AttendanceView => ({
  attendanceId: row.attendance_id,
  appointmentId: row.appointment_id,
  clientId: row.client_id,
  status: row.outcome,
  minutesAttended: row.minutes_attended,
  reasonCode: row.reason_code,
  sessionDate: row.session_date,
  revision: row.revision,
  changed,
});

/** The site of an occurrence's appointments; an occurrence sessions has no appointment of is unknown. */
function siteOf(sessions: readonly SessionRecordRow[]): string {
  const siteId = sessions[0]?.site_id;
  if (siteId === undefined) throw new ProblemException('not-found', { detail: 'No such session occurrence' });
  return siteId;
}

const unprocessable = (detail: string): ProblemException => new ProblemException('unprocessable', { detail });

/** What one entry says, normalised: minutes and reason as stored. */
function normalise(entry: AttendanceEntryDto, session: SessionRecordRow) {
  const duration = Math.round((session.ends_at.getTime() - session.starts_at.getTime()) / 60_000);
  if (isAttended(entry.status)) {
    if (entry.reasonCode !== undefined)
      throw unprocessable('reasonCode is only for absent or excused entries');
    if (entry.status !== 'present' && entry.minutesAttended === undefined) {
      throw unprocessable(`minutesAttended is required when ${entry.status}`);
    }
    const minutes = entry.minutesAttended ?? duration;
    if (minutes > duration) throw unprocessable(`minutesAttended exceeds the session's ${duration} minutes`);
    return { minutes, reason: null };
  }
  if (entry.minutesAttended !== undefined && entry.minutesAttended !== 0) {
    throw unprocessable('An absent or excused entry attends 0 minutes');
  }
  if (entry.reasonCode === undefined) throw unprocessable('reasonCode is required when absent or excused');
  if (entry.status === 'absent' && entry.reasonCode === MissedSessionReason.OtherExcused) {
    throw unprocessable('other-excused is a reason for an excused absence');
  }
  return { minutes: 0, reason: entry.reasonCode };
}

/**
 * Records attendance for a whole session occurrence in one request: one SessionAttended or SessionMissed per
 * client whose record is new or changed. Resubmitting the same roster changes nothing and publishes nothing;
 * a correction re-publishes with revision + 1 — until a note for the session is signed.
 */
@Injectable()
export class RecordAttendance {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly sites: SiteRecords,
    private readonly evaluate: EvaluateEpisode,
    private readonly clock: Clock,
  ) {}

  async record(
    actor: Actor,
    occurrenceId: string,
    entries: readonly AttendanceEntryDto[],
  ): Promise<OccurrenceAttendanceView> {
    return this.uow.run(async (tx) => {
      const sessions = await this.sessionsOf(tx, occurrenceId);
      const siteId = siteOf(sessions);
      const attempt = { action: 'record', resourceType: 'attendance', resourceId: occurrenceId };
      const zone = this.sites.timeZoneOf(await this.sites.assertAccess(actor, tx.manager, siteId, attempt));
      const byAppointment = new Map(sessions.map((s) => [s.appointment_id, s]));
      const seen = new Set<string>();
      for (const entry of entries) {
        const session = byAppointment.get(entry.appointmentId.toLowerCase());
        if (seen.has(entry.appointmentId.toLowerCase()))
          throw unprocessable('An appointment is listed twice');
        seen.add(entry.appointmentId.toLowerCase());
        if (session === undefined) throw unprocessable('An appointment does not belong to this occurrence');
        if (session.cancelled_at !== null) throw unprocessable('An appointment was cancelled');
        if (session.starts_at > this.clock.now()) throw unprocessable('The session has not started yet');
      }
      await lockEpisodes(
        tx,
        sessions.filter((s) => seen.has(s.appointment_id)).map((s) => s.episode_id),
      );
      await this.assertNoSignedNote(tx, [...seen]);
      const records: AttendanceView[] = [];
      for (const entry of entries) {
        const session = byAppointment.get(entry.appointmentId.toLowerCase()) as SessionRecordRow;
        records.push(await this.apply(tx, actor, session, entry, localDateOf(session.starts_at, zone)));
      }
      for (const episodeId of new Set(
        sessions.filter((s) => seen.has(s.appointment_id)).map((s) => s.episode_id),
      )) {
        await this.evaluate.run(tx, episodeId);
      }
      return { occurrenceId, records };
    });
  }

  async roster(actor: Actor, occurrenceId: string): Promise<OccurrenceAttendanceView> {
    return this.uow.run(async (tx) => {
      const sessions = await this.sessionsOf(tx, occurrenceId);
      const siteId = siteOf(sessions);
      const attempt = { action: 'read', resourceType: 'attendance', resourceId: occurrenceId };
      await this.sites.assertAccess(actor, tx.manager, siteId, attempt);
      const rows = await tx.manager.query<AttendanceRow[]>(
        `SELECT ${ATTENDANCE_COLUMNS} FROM ${table('attendance')} WHERE occurrence_id = $1 ORDER BY appointment_id`,
        [occurrenceId],
      );
      for (const clientId of new Set(rows.map((r) => r.client_id))) {
        await this.sites.allowed(actor, { ...attempt, clientId, siteId }, tx.manager);
      }
      return { occurrenceId, records: rows.map((row) => view(row, false)) };
    });
  }

  private async sessionsOf(tx: Transaction, occurrenceId: string): Promise<SessionRecordRow[]> {
    return tx.manager.query<SessionRecordRow[]>(
      `SELECT appointment_id, occurrence_id, client_id, episode_id, site_id, starts_at, ends_at, cancelled_at
         FROM ${table('session_records')} WHERE occurrence_id = $1 ORDER BY appointment_id FOR UPDATE`,
      [occurrenceId],
    );
  }

  private async assertNoSignedNote(tx: Transaction, appointmentIds: string[]): Promise<void> {
    const [signed] = await tx.manager.query<unknown[]>(
      `SELECT 1 FROM ${table('note_entries')} e JOIN ${table('notes')} n USING (note_id)
        WHERE e.appointment_id = ANY($1::uuid[]) AND n.signed_at IS NOT NULL LIMIT 1`,
      [appointmentIds],
    );
    if (signed !== undefined) {
      throw new ProblemException('attendance-locked', {
        detail: 'A note for this session is signed; attendance can no longer be corrected',
      });
    }
  }

  private async apply(
    tx: Transaction,
    actor: Actor,
    session: SessionRecordRow,
    entry: AttendanceEntryDto,
    sessionDate: string,
  ): Promise<AttendanceView> {
    const { minutes, reason } = normalise(entry, session);
    const [existing] = await tx.manager.query<AttendanceRow[]>(
      `SELECT ${ATTENDANCE_COLUMNS} FROM ${table('attendance')} WHERE appointment_id = $1`,
      [session.appointment_id],
    );
    if (
      existing !== undefined &&
      existing.outcome === entry.status &&
      existing.minutes_attended === minutes &&
      existing.reason_code === reason
    ) {
      return view(existing, false);
    }
    const [row] = await tx.manager.query<AttendanceRow[]>(
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
        randomUUID(),
        session.appointment_id,
        entry.status,
        minutes,
        reason,
        sessionDate,
        actor.principal.id,
        this.clock.now(),
      ],
    );
    if (row === undefined) throw new Error('attendance upsert returned nothing');
    await this.publish(tx, session, row);
    await this.sites.allowed(
      actor,
      {
        action: existing === undefined ? 'create' : 'update',
        resourceType: 'attendance',
        resourceId: row.attendance_id,
        clientId: row.client_id,
        siteId: session.site_id,
      },
      tx.manager,
    );
    return view(row, true);
  }

  private async publish(tx: Transaction, session: SessionRecordRow, row: AttendanceRow): Promise<void> {
    const common = {
      attendanceId: row.attendance_id,
      appointmentId: row.appointment_id,
      clientId: row.client_id,
      episodeId: session.episode_id,
      siteId: session.site_id,
      occurrenceId: session.occurrence_id,
      sessionDate: row.session_date,
      revision: row.revision,
    };
    if (isAttended(row.outcome)) {
      await tx.publish('SessionAttended', {
        ...common,
        // isAttended narrowed the outcome to the three attended statuses, spelled as the contract's enum.
        status: row.outcome as AttendanceStatus,
        minutesAttended: row.minutes_attended,
      });
      return;
    }
    await tx.publish('SessionMissed', {
      ...common,
      excused: row.outcome === 'excused',
      reasonCode: row.reason_code ?? MissedSessionReason.NoShow,
    });
  }
}
