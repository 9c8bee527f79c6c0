import { Button, Checkbox, Group, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { type components } from '../api/generated/sessions';
import { useSession } from '../auth/session';
import { useApi } from '../shell/api-context';
import { ProblemAlert } from '../shell/status';
import { cosignOffer, formatInstant, noteOf, type NotePartProps, signatures } from './note-signatures';

type NoteView = components['schemas']['NoteView'];

/** Who signed a note and when, and the co-signature where the client's track requires one. */
export function NoteSignature({ note, onChange, staffName }: NotePartProps): ReactNode {
  const api = useApi();
  const session = useSession();
  const [attest, setAttest] = useState(false);
  const cosign = useMutation({
    mutationFn: async (): Promise<NoteView> => {
      return api.sessions
        .POST('/v1/notes/{noteId}/cosignature', {
          params: { path: { noteId: note.noteId } },
          body: { attest: true },
        })
        .then(({ data }) => noteOf(data));
    },
    onSuccess: onChange,
  });
  if (note.status === 'draft') return null;
  const signed = signatures(note);
  const offer = cosignOffer(note, session.claims.subject, session.can('cosign-notes'));
  const by = (id: string | undefined, at: string | undefined): string =>
    `${id === undefined ? '' : ` by ${staffName(id)}`}${at === undefined ? '' : ` on ${formatInstant(at)}`}`;
  return (
    <Stack gap="xs">
      <Text role="status" data-testid="note-signature" c={note.status === 'signed' ? 'teal' : 'orange'}>
        {note.status === 'signed' ? 'Signed' : 'Signed; awaiting a supervisor’s co-signature'}
        {by(signed.signedBy, signed.signedAt)}.
      </Text>
      {signed.cosignedAt !== undefined && (
        <Text size="sm" data-testid="cosigned">
          Co-signed{by(signed.cosignedBy, signed.cosignedAt)}.
        </Text>
      )}
      {offer === 'offer' && (
        <Group>
          <Checkbox
            label="I have reviewed this note and co-sign it"
            checked={attest}
            onChange={(e) => setAttest(e.currentTarget.checked)}
          />
          <Button disabled={!attest} loading={cosign.isPending} onClick={() => cosign.mutate()}>
            Co-sign note
          </Button>
        </Group>
      )}
      {offer === 'own-signature' && (
        <Text size="sm" c="dimmed">
          You signed this note: another clinical supervisor co-signs it.
        </Text>
      )}
      {offer === 'supervisor-needed' && (
        <Text size="sm" c="dimmed">
          A clinical supervisor co-signs it from this page (its address names the note).
        </Text>
      )}
      {cosign.error !== null && <ProblemAlert title="The note was not co-signed" error={cosign.error} />}
    </Stack>
  );
}
