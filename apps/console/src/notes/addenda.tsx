import { Button, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { type components } from '../api/generated/sessions';
import { useSession } from '../auth/session';
import { useApi } from '../shell/api-context';
import { ProblemAlert } from '../shell/status';
import { formatInstant, mayAmend, noteOf, type NotePartProps } from './note-signatures';

type NoteView = components['schemas']['NoteView'];

/** The sessions service's limit on an addendum's text. */
const ADDENDUM_MAX = 10_000;

/**
 * A signed note's addenda, oldest first, each with its author and time; and, for those who write notes, a new
 * one. A signed note is never edited: corrections and late information are added this way.
 */
export function Addenda({ note, onChange, staffName }: NotePartProps): ReactNode {
  const api = useApi();
  const session = useSession();
  const [text, setText] = useState('');
  const [tried, setTried] = useState(false);
  const add = useMutation({
    mutationFn: async (body: string): Promise<NoteView> => {
      return api.sessions
        .POST('/v1/notes/{noteId}/addenda', {
          params: { path: { noteId: note.noteId } },
          body: { text: body },
        })
        .then(({ data }) => noteOf(data));
    },
    onSuccess: (next) => {
      setText('');
      setTried(false);
      onChange(next);
    },
  });
  if (note.status === 'draft') return null;
  const problem =
    text.trim() === ''
      ? 'Write the addendum first'
      : text.length > ADDENDUM_MAX
        ? `An addendum is at most ${ADDENDUM_MAX} characters`
        : undefined;
  const addenda = [...note.addenda].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return (
    <Stack component="section" aria-label="Addenda" gap="xs">
      <Title order={3} size="h5">
        Addenda
      </Title>
      {addenda.length === 0 && (
        <Text size="sm" c="dimmed">
          None.
        </Text>
      )}
      {addenda.map((a) => (
        <Paper key={a.addendumId} withBorder p="xs" data-testid="addendum">
          <Text size="xs" c="dimmed">
            {staffName(a.authorId)} · {formatInstant(a.createdAt)}
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {a.text}
          </Text>
        </Paper>
      ))}
      {mayAmend(note, session.can('write-notes')) && (
        <form
          aria-label="New addendum"
          onSubmit={(event) => {
            event.preventDefault();
            setTried(true);
            if (problem === undefined) add.mutate(text.trim());
          }}
        >
          <Stack gap="xs">
            <Textarea
              label="Addendum"

              rows={2}
              value={text}
              error={tried ? problem : undefined}
              onChange={(e) => setText(e.currentTarget.value)}
            />
            <Group>
              <Button type="submit" variant="default" loading={add.isPending}>
                Add addendum
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      {add.error !== null && <ProblemAlert title="The addendum was not added" error={add.error} />}
    </Stack>
  );
}
