import { Button, Checkbox, Group, NativeSelect, Paper, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { type components } from '../api/generated/intake';
import { useApi, useClock } from '../shell/api-context';
import { useSite } from '../shell/layout';
import { ProblemAlert } from '../shell/status';
import { humanize, localDate, parseDate } from '../today/dates';

type Grant = components['schemas']['GrantConsentDto'];
type Purpose = Grant['purposes'][number];
type Category = Grant['informationCategories'][number];
type RecipientKind = Grant['recipient']['kind'];
type SignedBy = Grant['signature']['signedBy'];

const PURPOSES: readonly Purpose[] = [
  'treatment',
  'payment',
  'health-care-operations',
  'family-involvement',
  'care-coordination',
];
const CATEGORIES: readonly Category[] = [
  'attendance',
  'schedule',
  'screenings',
  'assessments',
  'treatment-plan',
  'progress-notes',
  'drug-screens',
  'level-of-care',
  'discharge-summary',
];
const KINDS: readonly RecipientKind[] = [
  'family-member',
  'provider-organization',
  'payer',
  'care-coordinator',
  'legal-representative',
  'other-organization',
];
const SIGNERS: readonly SignedBy[] = ['client', 'legal-representative'];

/** Records a signed written consent (42 CFR Part 2): the service checks every element and refuses what is missing. */
export function GrantConsent({ clientId, onDone }: { clientId: string; onDone: () => void }): ReactNode {
  const api = useApi();
  const clock = useClock();
  const site = useSite() ?? '';
  const queryClient = useQueryClient();
  const today = localDate(clock());
  const [kind, setKind] = useState<RecipientKind>('provider-organization');
  const [recipientId, setRecipientId] = useState('');
  const [recipientName, setRecipientName] = useState('');
  const [purposes, setPurposes] = useState<string[]>([]);
  const [categories, setCategories] = useState<string[]>([]);
  const [expiresOn, setExpiresOn] = useState('');
  const [endsAtDischarge, setEndsAtDischarge] = useState(false);
  const [signedBy, setSignedBy] = useState<SignedBy>('client');
  const [signedOn, setSignedOn] = useState(today);
  const [acknowledged, setAcknowledged] = useState(false);
  const [hint, setHint] = useState<string | undefined>();
  const grant = useMutation({
    mutationFn: async (body: Grant) => {
      await api.intake.POST('/v1/clients/{clientId}/consents', { params: { path: { clientId } }, body });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['chart', 'consents', clientId] });
      onDone();
    },
  });
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const expires = parseDate(expiresOn);
    const signed = parseDate(signedOn);
    if (
      recipientId.trim() === '' ||
      recipientName.trim() === '' ||
      purposes.length === 0 ||
      categories.length === 0
    ) {
      setHint('Name the recipient and choose at least one purpose and one kind of information.');
      return;
    }
    if (expires === undefined || signed === undefined) {
      setHint('Give the expiry date and the signature date.');
      return;
    }
    setHint(undefined);
    grant.mutate({
      disclosingProgramId: site,
      recipient: { kind, id: recipientId.trim(), name: recipientName.trim() },
      purposes: purposes as Purpose[],
      informationCategories: categories as Category[],
      expiresAt: `${expires}T23:59:59Z`,
      ...(endsAtDischarge ? { expiresOnEvent: 'discharge' as const } : {}),
      signature: { signedBy, signedOn: signed },
      rightToRevokeAcknowledged: acknowledged,
    });
  };
  return (
    <Paper withBorder p="sm" mt="xs">
      <form onSubmit={submit} aria-label="Record a consent">
        <Stack gap="xs">
          <Group align="flex-end">
            <NativeSelect
              label="Recipient kind"
              value={kind}
              data={KINDS.map((k) => ({ value: k, label: humanize(k) }))}
              onChange={(e) => setKind(e.currentTarget.value as RecipientKind)}
            />
            <TextInput
              label="Recipient id"
              value={recipientId}
              onChange={(e) => setRecipientId(e.currentTarget.value)}
              autoComplete="off"
            />
            <TextInput
              label="Recipient name"
              value={recipientName}
              onChange={(e) => setRecipientName(e.currentTarget.value)}
              autoComplete="off"
            />
          </Group>
          <Checkbox.Group label="Purposes" value={purposes} onChange={setPurposes}>
            <Group gap="sm" mt={4}>
              {PURPOSES.map((p) => (
                <Checkbox key={p} value={p} label={humanize(p)} />
              ))}
            </Group>
          </Checkbox.Group>
          <Checkbox.Group label="Information disclosed" value={categories} onChange={setCategories}>
            <Group gap="sm" mt={4}>
              {CATEGORIES.map((c) => (
                <Checkbox key={c} value={c} label={humanize(c)} />
              ))}
            </Group>
          </Checkbox.Group>
          <Group align="flex-end">
            <TextInput
              label="Expires on"
              type="date"
              value={expiresOn}
              onChange={(e) => setExpiresOn(e.currentTarget.value)}
            />
            <Checkbox
              label="Or at discharge, if sooner"
              checked={endsAtDischarge}
              onChange={(e) => setEndsAtDischarge(e.currentTarget.checked)}
            />
            <NativeSelect
              label="Signed by"
              value={signedBy}
              data={SIGNERS.map((s) => ({ value: s, label: humanize(s) }))}
              onChange={(e) => setSignedBy(e.currentTarget.value as SignedBy)}
            />
            <TextInput
              label="Signed on"
              type="date"
              value={signedOn}
              onChange={(e) => setSignedOn(e.currentTarget.value)}
            />
          </Group>
          <Checkbox
            label="The client was told of the right to revoke in writing"
            checked={acknowledged}
            onChange={(e) => setAcknowledged(e.currentTarget.checked)}
          />
          {hint !== undefined && <ProblemAlert title="The consent is not complete" error={new Error(hint)} />}
          {grant.isError && <ProblemAlert title="The consent was not recorded" error={grant.error} />}
          <Group>
            <Button type="submit" size="xs" loading={grant.isPending}>
              Record consent
            </Button>
            <Button size="xs" variant="default" onClick={onDone}>
              Cancel
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
