import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type AttendanceStatus, MissedSessionReason } from '@stepwise/contracts';
import { type PendingEvent, type Transaction, UnitOfWork, pendingEvent } from '@stepwise/messaging';
import { type Actor, ProblemException, ScopedRecords } from '@stepwise/security';
import { Clock } from '@stepwise/platform';
import { DeferredEvaluation } from '../progress/deferred-evaluation';
import { ProgramCounters } from '../progress/program-counters';
import { isAttended, localDateOf } from '@stepwise/care-rules';
import { timeZoneOf } from '../projections/sites.repository';
import { AttendanceRepository, type AttendanceRow, type SessionRecordRow } from './attendance.repository';
import { attendanceView } from './attendance-view';
import {
  type AttendanceEntryDto,
  type AttendanceView,
  type OccurrenceAttendanceView,
} from './attendance.dto';

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
    private readonly scoped: ScopedRecords,
    private readonly attendance: AttendanceRepository,
    private readonly evaluations: DeferredEvaluation,
    private readonly clock: Clock,
    private readonly counters: ProgramCounters,
  ) {}

  async record(
    actor: Actor,
    occurrenceId: string,
    entries: readonly AttendanceEntryDto[],
  ): Promise<OccurrenceAttendanceView> {
    return this.uow.run(async (tx) => {
      const { sessions, site } = await this.attendance.occurrenceOf(tx.manager, occurrenceId);
      const attempt = { action: 'record', resourceType: 'attendance', resourceId: occurrenceId };
      await this.scoped.assertSite(actor, site, attempt);
      const zone = timeZoneOf(site);
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
      const episodes = sessions.filter((s) => seen.has(s.appointment_id)).map((s) => s.episode_id);
      // The episodes' progress is evaluated after the commit (their weeks, risks and recommendations are events
      // of their own): marked due, and their locks held, in one statement.
      await this.evaluations.markAndLock(tx, episodes);
      const { signed, stored } = await this.attendance.recordsOf(tx.manager, [...seen]);
      if (signed) {
        throw new ProblemException('attendance-locked', {
          detail: 'A note for this session is signed; attendance can no longer be corrected',
        });
      }
      const records: AttendanceView[] = [];
      for (const entry of entries) {
        const session = byAppointment.get(entry.appointmentId.toLowerCase()) as SessionRecordRow;
        const existing = stored.get(session.appointment_id);
        records.push(
          await this.apply(tx, actor, session, existing, entry, localDateOf(session.starts_at, zone)),
        );
      }
      return { occurrenceId, records };
    });
  }

  private async apply(
    tx: Transaction,
    actor: Actor,
    session: SessionRecordRow,
    existing: AttendanceRow | undefined,
    entry: AttendanceEntryDto,
    sessionDate: string,
  ): Promise<AttendanceView> {
    const { minutes, reason } = normalise(entry, session);
    if (
      existing !== undefined &&
      existing.outcome === entry.status &&
      existing.minutes_attended === minutes &&
      existing.reason_code === reason
    ) {
      return attendanceView(existing, false);
    }
    const row: AttendanceRow = {
      attendance_id: existing?.attendance_id ?? randomUUID(),
      appointment_id: session.appointment_id,
      client_id: session.client_id,
      outcome: entry.status,
      minutes_attended: minutes,
      reason_code: reason,
      session_date: sessionDate,
      revision: (existing?.revision ?? 0) + 1,
    };
    // The record, its event and its audit entry in one statement (the roster's lock makes `existing` current).
    await this.attendance.save(
      tx,
      {
        attendanceId: row.attendance_id,
        appointmentId: row.appointment_id,
        outcome: row.outcome,
        minutes,
        reason,
        sessionDate,
        recordedBy: actor.principal.id,
        recordedAt: this.clock.now(),
        revision: row.revision,
      },
      this.eventOf(session, row),
      this.scoped.auditedStatement(
        actor,
        existing === undefined ? 'create' : 'update',
        { resourceType: 'attendance' },
        { id: row.attendance_id, siteId: session.site_id, clientId: row.client_id },
      ),
    );
    if (existing === undefined) {
      this.counters.documented(tx, {
        site: session.site_id,
        outcome: isAttended(row.outcome) ? 'attended' : 'missed',
      });
    }
    return attendanceView(row, true);
  }

  /** SessionAttended or SessionMissed, as the stored record says. */
  private eventOf(session: SessionRecordRow, row: AttendanceRow): PendingEvent {
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
      return pendingEvent('SessionAttended', {
        ...common,
        // isAttended narrowed the outcome to the three attended statuses, spelled as the contract's enum.
        status: row.outcome as AttendanceStatus,
        minutesAttended: row.minutes_attended,
      });
    }
    return pendingEvent('SessionMissed', {
      ...common,
      excused: row.outcome === 'excused',
      reasonCode: row.reason_code ?? MissedSessionReason.NoShow,
    });
  }
}
