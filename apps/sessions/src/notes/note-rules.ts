import { type NoteFormat, isUuid } from '@stepwise/contracts';
import { type Actor, ProblemException } from '@stepwise/security';
import { isAttended, type ProgressRules, progressRuleSetFor } from '@stepwise/care-rules';
import { type NoteContentDto, type NoteEntryDto, type NoteKind } from './note.dto';
import { type Sections, identicalSections, sectionProblems } from './note-formats';
import { type SessionRow } from './notes.repository';

/** An entry of the request matched with the session it is about. */
export interface CheckedEntry {
  readonly input: NoteEntryDto;
  readonly session: SessionRow;
}

export const unprocessable = (
  detail: string,
  code: 'unprocessable' | 'note-sections-mismatch' = 'unprocessable',
): ProblemException => new ProblemException(code, { detail });

/** Only the sections the client sent (the DTO class may carry undefined properties). */
export function sectionsOf(entry: NoteEntryDto): Sections {
  return Object.fromEntries(
    Object.entries(entry.sections).filter(([, text]) => text !== undefined),
  ) as Sections;
}

const attended = (s: SessionRow): boolean => s.outcome !== null && isAttended(s.outcome);

/** The signer of a note: a staff member, whose token subject is their staff id. */
export function staffId(actor: Actor): string {
  if (!isUuid(actor.principal.id))
    throw unprocessable('Signing needs a staff member (a token whose subject is a staff id)');
  return actor.principal.id.toLowerCase();
}

/** The content rules: format sections, one individual section per attendee, no copies (goals are checked apart). */
export function checkEntries(
  kind: NoteKind,
  format: NoteFormat,
  content: NoteContentDto,
  sessions: readonly SessionRow[],
): CheckedEntry[] {
  if (kind === 'group' && content.shared === undefined)
    throw unprocessable('A group note needs its shared section');
  if (kind === 'individual' && content.shared !== undefined)
    throw unprocessable('An individual note has no shared section');
  if (kind === 'individual' && content.entries.length !== 1) {
    throw unprocessable('An individual note has exactly one section', 'note-sections-mismatch');
  }
  const byAppointment = new Map(sessions.map((s) => [s.appointment_id, s]));
  const entries: CheckedEntry[] = [];
  for (const input of content.entries) {
    const session = byAppointment.get(input.appointmentId.toLowerCase());
    if (session === undefined) throw unprocessable('An appointment does not belong to this occurrence');
    if (entries.some((e) => e.session === session)) throw unprocessable('An appointment is listed twice');
    if (session.cancelled_at !== null || !attended(session)) {
      throw unprocessable('A section is for a client who did not attend', 'note-sections-mismatch');
    }
    const problems = sectionProblems(format, sectionsOf(input));
    if (problems.length > 0) throw new ProblemException('unprocessable', { detail: problems.join('; ') });
    entries.push({ input, session });
  }
  if (kind === 'group') {
    const missing = sessions.filter((s) => attended(s) && !entries.some((e) => e.session === s));
    if (missing.length > 0) {
      throw unprocessable(
        `${missing.length} attendee(s) have no individual section`,
        'note-sections-mismatch',
      );
    }
    if (identicalSections(entries.map((e) => sectionsOf(e.input))).length > 0) {
      throw new ProblemException('identical-note-sections', {
        detail: 'Two attendees have the same individual section; write what each client did',
      });
    }
  }
  return entries;
}

/** Whether the sections noted are exactly the occurrence's attendees (attendance may change after drafting). */
export function matchesAttendees(
  sessions: readonly SessionRow[],
  notedAppointmentIds: readonly string[],
): boolean {
  const attendees = sessions.filter(attended);
  const noted = new Set(notedAppointmentIds);
  return attendees.length === noted.size && attendees.every((s) => noted.has(s.appointment_id));
}

/** Whether any client's track requires a supervisor's co-signature, under the progress rules in force. */
export function cosignRequired(entries: readonly CheckedEntry[], rules: ProgressRules): boolean {
  return entries.some(({ session }) =>
    session.level_of_care === null || session.population === null
      ? false
      : (progressRuleSetFor(session.level_of_care, session.population, rules)?.cosignRequired ?? false),
  );
}
