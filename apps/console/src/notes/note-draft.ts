import { type components } from '../api/generated/sessions';

type CreateNote = components['schemas']['CreateNoteDto'];
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
  return problems;
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
      goalIdsAddressed: [],
    })),
  };
}
