import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Fieldset,
  Group,
  NativeSelect,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { type components } from '../api/generated/sessions';
import { useApi } from '../shell/api-context';
import { ProblemAlert } from '../shell/status';
import { humanize } from '../today/dates';
import {
  draftProblems,
  FORMAT_SECTIONS,
  type GroupNoteDraft,
  type NoteFormat,
  type SectionName,
  toNoteContent,
} from './note-draft';

type NoteView = components['schemas']['NoteView'];

interface Attendee {
  appointmentId: string;
  label: string;
}

/**
 * The group note of one session: the shared section once, each attendee's own sections, then the signature.
 * The text lives in this component's state only (never in storage); the service refuses identical individual
 * sections and says so, which is shown as it comes.
 */
export function GroupNote({
  occurrenceId,
  attendees,
}: {
  occurrenceId: string;
  attendees: Attendee[];
}): ReactNode {
  const api = useApi();
  const [draft, setDraft] = useState<GroupNoteDraft>({
    format: 'DAP',
    topic: '',
    interventions: '',
    sections: {},
  });
  const [note, setNote] = useState<NoteView | undefined>(undefined);
  const [tried, setTried] = useState(false);
  const [attest, setAttest] = useState(false);
  const ids = attendees.map((a) => a.appointmentId);
  const labelOf = (id: string): string => attendees.find((a) => a.appointmentId === id)?.label ?? id;
  const problems = draftProblems(draft, ids, labelOf);
  const signed = note !== undefined && note.status !== 'draft';

  const saveDraft = useMutation({
    mutationFn: async (): Promise<NoteView> => {
      const content = toNoteContent(draft, ids);
      if (note === undefined) {
        const { data } = await api.sessions.POST('/v1/notes', {
          body: { ...content, occurrenceId, kind: 'group', format: draft.format },
        });
        if (data === undefined) throw new Error('The service answered no note');
        return data;
      }
      const { data } = await api.sessions.PUT('/v1/notes/{noteId}', {
        params: { path: { noteId: note.noteId } },
        body: content,
      });
      if (data === undefined) throw new Error('The service answered no note');
      return data;
    },
    onSuccess: setNote,
  });
  const sign = useMutation({
    mutationFn: async (noteId: string): Promise<NoteView> => {
      const { data } = await api.sessions.POST('/v1/notes/{noteId}/signature', {
        params: { path: { noteId } },
        body: { attest: true },
      });
      if (data === undefined) throw new Error('The service answered no note');
      return data;
    },
    onSuccess: setNote,
  });
  const edit = (patch: Partial<GroupNoteDraft>): void => setDraft((d) => ({ ...d, ...patch }));
  const editSection = (id: string, name: SectionName, text: string): void =>
    setDraft((d) => ({ ...d, sections: { ...d.sections, [id]: { ...d.sections[id], [name]: text } } }));

  return (
    <Stack component="section" aria-label="Group note">
      <Group>
        <Title order={2} size="h4">
          Group note
        </Title>
        {note !== undefined && (
          <Badge color={signed ? 'teal' : 'gray'} data-testid="note-status">
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
      {signed && (
        <Text role="status" c="teal">
          {note.status === 'signed' ? 'Signed.' : 'Signed; awaiting a supervisor’s co-signature.'}
        </Text>
      )}
    </Stack>
  );
}
