import { type components } from '../api/generated/sessions';

type CreateNote = components['schemas']['CreateNoteDto'];
type NoteView = components['schemas']['NoteView'];
export type NoteFormat = CreateNote['format'];
export type SectionName = keyof components['schemas']['NoteSectionsDto'];

/** The sections each format asks of every attendee (the service checks the same; this only guides the form). */
export const FORMAT_SECTIONS: Readonly<Record<NoteFormat, readonly SectionName[]>> = {
  SOAP: ['subjective', 'objective', 'assessment', 'plan'],
  DAP: ['data', 'assessment', 'plan'],
  BIRP: ['behavior', 'intervention', 'response', 'plan'],
  GIRP: ['goal', 'intervention', 'response', 'plan'],
};

/** A group note being written: the shared section once, each attendee's own sections by appointment id. */
export interface GroupNoteDraft {
  format: NoteFormat;
  topic: string;
  interventions: string;
  sections: Record<string, Partial<Record<SectionName, string>>>;
  /** Plan goals each attendee's section addresses, by appointment id (ids of the client's signed plan). */
  goals?: Record<string, readonly string[]>;
}

/** What is still blank, in the order the form shows it; empty when the draft can be saved. */
export function draftProblems(
  draft: GroupNoteDraft,
  appointmentIds: readonly string[],
  labelOf: (id: string) => string,
): string[] {
  const problems: string[] = [];
  if (draft.topic.trim() === '') problems.push('Shared section: topic is blank');
  if (draft.interventions.trim() === '') problems.push('Shared section: interventions are blank');
  if (appointmentIds.length === 0) problems.push('Nobody attended: a group note needs at least one attendee');
  for (const id of appointmentIds) {
    for (const name of FORMAT_SECTIONS[draft.format]) {
      if ((draft.sections[id]?.[name] ?? '').trim() === '') problems.push(`${labelOf(id)}: ${name} is blank`);
    }
  }
  if (problems.length > 0) return problems;
  for (const [first, second] of repeatedSections(draft, appointmentIds)) {
    problems.push(
      `${labelOf(second)} has the same sections as ${labelOf(first)}: write what each client did`,
    );
  }
  return problems;
}

/**
 * Pairs of attendees whose own sections read the same, compared as the sessions service compares them (case,
 * spacing and punctuation ignored): it refuses such a note (`identical-note-sections`), so the form says it first.
 */
export function repeatedSections(
  draft: GroupNoteDraft,
  appointmentIds: readonly string[],
): [first: string, repeat: string][] {
  const seen = new Map<string, string>();
  const repeats: [string, string][] = [];
  for (const id of appointmentIds) {
    const key = FORMAT_SECTIONS[draft.format]
      .map((name) =>
        (draft.sections[id]?.[name] ?? '')
          .toLowerCase()
          .replace(/[^\p{L}\p{N}]+/gu, ' ')
          .trim(),
      )
      .join('|');
    const first = seen.get(key);
    if (first === undefined) seen.set(key, id);
    else repeats.push([first, id]);
  }
  return repeats;
}

/** The request body: only the format's sections of the attendees given (sections of other formats are dropped). */
export function toNoteContent(
  draft: GroupNoteDraft,
  appointmentIds: readonly string[],
): Omit<CreateNote, 'occurrenceId' | 'kind' | 'format'> {
  return {
    shared: { topic: draft.topic.trim(), interventions: draft.interventions.trim() },
    entries: appointmentIds.map((appointmentId) => ({
      appointmentId,
      sections: Object.fromEntries(
        FORMAT_SECTIONS[draft.format].map((name) => [
          name,
          (draft.sections[appointmentId]?.[name] ?? '').trim(),
        ]),
      ),
      goalIdsAddressed: [...(draft.goals?.[appointmentId] ?? [])],
    })),
  };
}

/** A saved note back as a draft (reopening a session whose note is already written). */
export function draftFromNote(note: NoteView): GroupNoteDraft {
  return {
    format: note.format,
    topic: note.shared?.topic ?? '',
    interventions: note.shared?.interventions ?? '',
    sections: Object.fromEntries(note.entries.map((e) => [e.appointmentId, { ...e.sections }])),
    goals: Object.fromEntries(note.entries.map((e) => [e.appointmentId, e.goalIdsAddressed])),
  };
}
