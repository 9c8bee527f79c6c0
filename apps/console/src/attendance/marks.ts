import { type components } from '../api/generated/sessions';

type Entry = components['schemas']['AttendanceEntryDto'];
type Record = components['schemas']['AttendanceView'];
export type Status = Entry['status'];
export type Reason = NonNullable<Entry['reasonCode']>;

export const STATUSES: readonly Status[] = ['present', 'late', 'left-early', 'absent', 'excused'];
export const REASONS: readonly Reason[] = [
  'illness',
  'medical-appointment',
  'hospitalization',
  'transportation',
  'work-conflict',
  'school-conflict',
  'childcare',
  'family-emergency',
  'court-appearance',
  'weather',
  'no-show',
  'other-excused',
];

/** One attendee's row on the attendance form, as typed (minutes as text until checked). */
export interface Mark {
  appointmentId: string;
  clientId: string;
  status: Status;
  minutes: string;
  reason: Reason | '';
}

/** The form's rows: what was recorded before, otherwise "present" for the whole session. */
export function initialMarks(
  attendees: readonly { id: string; clientId: string }[],
  recorded: readonly Record[],
): Mark[] {
  return attendees.map((a) => {
    const before = recorded.find((r) => r.appointmentId === a.id);
    if (before === undefined)
      return { appointmentId: a.id, clientId: a.clientId, status: 'present', minutes: '', reason: '' };
    const partial = before.status === 'late' || before.status === 'left-early';
    return {
      appointmentId: a.id,
      clientId: a.clientId,
      status: before.status,
      minutes: partial ? String(before.minutesAttended) : '',
      reason: before.reasonCode ?? '',
    };
  });
}

/** Whether a status needs minutes (late, left early) or a reason (absent, excused). */
export const needsMinutes = (status: Status): boolean => status === 'late' || status === 'left-early';
export const needsReason = (status: Status): boolean => status === 'absent' || status === 'excused';
export const attended = (status: Status): boolean => status === 'present' || needsMinutes(status);

/**
 * What is wrong with each row, by appointment id, under the service's rules: minutes for a late or early leaver,
 * a whole number from 1 up to the session's length; a reason for an absence. Empty when the form can be sent.
 */
export function markProblems(marks: readonly Mark[], sessionMinutes: number): Map<string, string> {
  const problems = new Map<string, string>();
  for (const mark of marks) {
    if (needsMinutes(mark.status)) {
      const minutes = Number(mark.minutes);
      if (
        mark.minutes.trim() === '' ||
        !Number.isInteger(minutes) ||
        minutes < 1 ||
        minutes > sessionMinutes
      ) {
        problems.set(mark.appointmentId, `Minutes attended: a whole number from 1 to ${sessionMinutes}`);
      }
    } else if (needsReason(mark.status) && mark.reason === '') {
      problems.set(mark.appointmentId, 'Choose a reason for the absence');
    }
  }
  return problems;
}

/** The request body's entries for rows without problems. */
export function toEntries(marks: readonly Mark[]): Entry[] {
  return marks.map((mark) => {
    if (needsMinutes(mark.status)) {
      return {
        appointmentId: mark.appointmentId,
        status: mark.status,
        minutesAttended: Number(mark.minutes),
      };
    }
    if (needsReason(mark.status) && mark.reason !== '') {
      return { appointmentId: mark.appointmentId, status: mark.status, reasonCode: mark.reason };
    }
    return { appointmentId: mark.appointmentId, status: mark.status };
  });
}
