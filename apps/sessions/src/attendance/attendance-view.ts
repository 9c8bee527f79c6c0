import { ProblemException } from '@stepwise/security';
import { type AttendanceRow, type SessionRecordRow } from './attendance.repository';
import { type AttendanceView } from './attendance.dto';

export const attendanceView = (row: AttendanceRow, changed: boolean): AttendanceView => ({
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
export function siteOfOccurrence(sessions: readonly SessionRecordRow[]): string {
  const siteId = sessions[0]?.site_id;
  if (siteId === undefined) throw new ProblemException('not-found', { detail: 'No such session occurrence' });
  return siteId;
}
