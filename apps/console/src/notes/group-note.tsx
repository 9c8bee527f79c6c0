import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Fieldset,
  Group,
  NativeSelect,
  Stack,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useSearchParams } from 'react-router';
import { type components } from '../api/generated/sessions';
import { useApi } from '../shell/api-context';
import { useSite } from '../shell/layout';
import { ProblemAlert, QueryState } from '../shell/status';
import { humanize } from '../today/dates';
import { Addenda } from './addenda';
import { GoalsAddressed } from './goals-addressed';
import {
  draftFromNote,
  draftProblems,
  FORMAT_SECTIONS,
  type GroupNoteDraft,
  type NoteFormat,
  type SectionName,
  toNoteContent,
} from './note-draft';
import { NoteSignature } from './note-signature';
import { noteOf } from './note-signatures';
import { useStaffNames } from './use-staff-names';

type NoteView = components['schemas']['NoteView'];

export interface Attendee {
  appointmentId: string;
  /** The episode the appointment belongs to: its signed plan's goals may be linked. */
  episodeId?: string;
  label: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const noteKey = (noteId: string): string[] => ['note', noteId];

/**
 * The group note of one session. Once saved, the note's id goes in the address (`?note=`, an id only), so the
 * page reopens it and a clinical supervisor reaches it to co-sign: the services offer no list of a session's notes.
 */
export function GroupNote({
  occurrenceId,
  attendees,
}: {
  occurrenceId: string;
  attendees: Attendee[];
}): ReactNode {
  const api = useApi();
  const [params] = useSearchParams();
  const asked = params.get('note') ?? '';
  const noteId = UUID.test(asked) ? asked.toLowerCase() : undefined;
  const saved = useQuery({
    queryKey: noteKey(noteId ?? ''),
    enabled: noteId !== undefined,
    queryFn: async (): Promise<NoteView> => {
      return api.sessions
        .GET('/v1/notes/{noteId}', {
          params: { path: { noteId: noteId ?? '' } },
        })
        .then(({ data }) => noteOf(data));
    },
  });
  if (noteId !== undefined && !saved.isSuccess) {
    return <QueryState label="The group note" isPending={saved.isPending} error={saved.error} />;
  }
  if (saved.data !== undefined && saved.data.occurrenceId !== occurrenceId) {
    return (
      <Alert color="red" role="alert" title="The group note did not load">
        The note in the address belongs to another session.
      </Alert>
    );
  }
  return <NoteEditor occurrenceId={occurrenceId} attendees={attendees} initial={saved.data} />;
}

/**
 * The shared section once, each attendee's own sections and plan goals, then the signature, co-signature and
 * addenda. The text lives in memory only (component state and the query cache, never storage); the service's
 * refusals (identical sections, a foreign goal, a signed note) are shown as they come.
 */
function NoteEditor({
  occurrenceId,
  attendees,
  initial,
}: {
  occurrenceId: string;
  attendees: Attendee[];
  initial: NoteView | undefined;
}): ReactNode {
  const api = useApi();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const staffName = useStaffNames(useSite());
  const [draft, setDraft] = useState<GroupNoteDraft>(() =>
    initial === undefined
      ? { format: 'DAP', topic: '', interventions: '', sections: {}, goals: {} }
      : draftFromNote(initial),
  );
  const [note, setNote] = useState<NoteView | undefined>(initial);
  const [tried, setTried] = useState(false);
  const [attest, setAttest] = useState(false);
  const ids = attendees.map((a) => a.appointmentId);
  const labelOf = (id: string): string => attendees.find((a) => a.appointmentId === id)?.label ?? id;
  const problems = draftProblems(draft, ids, labelOf);
  const signed = note !== undefined && note.status !== 'draft';

  /** Keeps the note in the query cache too, so that putting its id in the address reads nothing again. */
  const show = (next: NoteView): void => {
    queryClient.setQueryData(noteKey(next.noteId), next);
    setNote(next);
    if (params.get('note') !== next.noteId) {
      const withNote = new URLSearchParams(params);
      withNote.set('note', next.noteId);
      setParams(withNote, { replace: true });
    }
  };
  const saveDraft = useMutation({
    mutationFn: async (): Promise<NoteView> => {
      const content = toNoteContent(draft, ids);
      if (note === undefined) {
        return api.sessions
          .POST('/v1/notes', {
            body: { ...content, occurrenceId, kind: 'group', format: draft.format },
          })
          .then(({ data }) => noteOf(data));
      }
      return api.sessions
        .PUT('/v1/notes/{noteId}', {
          params: { path: { noteId: note.noteId } },
          body: content,
        })
        .then(({ data }) => noteOf(data));
    },
    onSuccess: show,
  });
  const sign = useMutation({
    mutationFn: async (noteId: string): Promise<NoteView> => {
      return api.sessions
        .POST('/v1/notes/{noteId}/signature', {
          params: { path: { noteId } },
          body: { attest: true },
        })
        .then(({ data }) => noteOf(data));
    },
    onSuccess: show,
  });
  const edit = (patch: Partial<GroupNoteDraft>): void => setDraft((d) => ({ ...d, ...patch }));
  const editSection = (id: string, name: SectionName, text: string): void =>
    setDraft((d) => ({ ...d, sections: { ...d.sections, [id]: { ...d.sections[id], [name]: text } } }));
  const editGoals = (id: string, goalIds: string[]): void =>
    setDraft((d) => ({ ...d, goals: { ...d.goals, [id]: goalIds } }));

  return (
    <Stack component="section" aria-label="Group note">
      <Group>
        <Title order={2} size="h4">
          Group note
        </Title>
        {note !== undefined && (
          <Badge color={note.status === 'signed' ? 'teal' : 'gray'} data-testid="note-status">
            {humanize(note.status)}
          </Badge>
        )}
      </Group>
      <form
        aria-label="Group note"
        onSubmit={(event) => {
          event.preventDefault();
          setTried(true);
          if (problems.length === 0) saveDraft.mutate();
        }}
      >
        <Stack>
          <NativeSelect
            label="Format"
            disabled={note !== undefined}
            value={draft.format}
            data={Object.keys(FORMAT_SECTIONS)}
            onChange={(e) => edit({ format: e.currentTarget.value as NoteFormat })}
          />
          <Fieldset legend="Shared section (once for the group)" disabled={signed}>
            <Textarea
              label="Topic"
              rows={1}
              value={draft.topic}
              onChange={(e) => edit({ topic: e.currentTarget.value })}
            />
            <Textarea
              label="Interventions"
              rows={2}
              value={draft.interventions}
              onChange={(e) => edit({ interventions: e.currentTarget.value })}
            />
          </Fieldset>
          {attendees.map((a) => (
            <Fieldset key={a.appointmentId} legend={a.label} disabled={signed}>
              {FORMAT_SECTIONS[draft.format].map((name) => (
                <Textarea
                  key={name}
                  label={`${humanize(name)} (${a.label})`}
                  rows={1}
                  value={draft.sections[a.appointmentId]?.[name] ?? ''}
                  onChange={(e) => editSection(a.appointmentId, name, e.currentTarget.value)}
                />
              ))}
              <GoalsAddressed
                episodeId={a.episodeId}
                label={a.label}
                value={draft.goals?.[a.appointmentId] ?? []}
                onChange={(goalIds) => editGoals(a.appointmentId, goalIds)}
              />
            </Fieldset>
          ))}
          {!signed && (
            <Group>
              <Button type="submit" variant="default" loading={saveDraft.isPending}>
                {note === undefined ? 'Save draft' : 'Save changes'}
              </Button>
            </Group>
          )}
        </Stack>
      </form>
      {tried && problems.length > 0 && (
        <Alert color="yellow" role="alert" title="The note is not complete">
          {problems.join('; ')}
        </Alert>
      )}
      {saveDraft.error !== null && <ProblemAlert title="The note was not saved" error={saveDraft.error} />}
      {note !== undefined && note.status === 'draft' && (
        <Group>
          <Checkbox
            label="I attest that this note is accurate and complete"
            checked={attest}
            onChange={(e) => setAttest(e.currentTarget.checked)}
          />
          <Button
            disabled={!attest || saveDraft.isPending}
            loading={sign.isPending}
            onClick={() => sign.mutate(note.noteId)}
          >
            Sign note
          </Button>
        </Group>
      )}
      {sign.error !== null && <ProblemAlert title="The note was not signed" error={sign.error} />}
      {note !== undefined && (
        <>
          <NoteSignature note={note} onChange={show} staffName={staffName} />
          <Addenda note={note} onChange={show} staffName={staffName} />
        </>
      )}
    </Stack>
  );
}
