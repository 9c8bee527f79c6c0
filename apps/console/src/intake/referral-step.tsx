import {
  Badge,
  Button,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { type PageView as Page } from '@stepwise/api-model';
import { ClientSearch } from '../census/client-search';
import { useApi } from '../shell/api-context';
import { QueryState } from '../shell/status';
import { humanize } from '../today/dates';
import {
  OPEN_STATUSES,
  REASONS,
  type Referral,
  referralBody,
  type ReferralForm,
  referralProblems,
  SOURCES,
} from './intake-flow';
import { StepProblem, stepErrors } from './step-errors';

const SHOWN = [
  'source',
  'reasonCode',
  'referrer.name',
  'referrer.organization',
  'referrer.phone',
  'referrer.email',
];

const EMPTY: ReferralForm = {
  source: 'self',
  reasonCode: 'substance-use',
  referrerName: '',
  referrerOrganization: '',
  referrerPhone: '',
  referrerEmail: '',
};

/** Receives a referral at the site (POST /v1/referrals); the referrer's details go in the body only. */
export function ReferralForm({
  site,
  onReceived,
}: {
  site: string;
  onReceived: (referral: Referral) => void;
}): ReactNode {
  const api = useApi();
  const [form, setForm] = useState<ReferralForm>(EMPTY);
  const [local, setLocal] = useState({});
  const receive = useMutation({
    mutationFn: async (): Promise<Referral> => {
      const { data } = await api.intake.POST('/v1/referrals', { body: referralBody(site, form) });
      if (data === undefined) throw new Error('The service answered without the referral.');
      return data;
    },
    onSuccess: onReceived,
  });
  const errors = stepErrors(local, receive.error, SHOWN);
  const set = (key: keyof ReferralForm) => (e: { currentTarget: { value: string } }) =>
    setForm({ ...form, [key]: e.currentTarget.value });
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const problems = referralProblems(form);
    setLocal(problems);
    if (Object.keys(problems).length === 0) receive.mutate();
  };
  return (
    <form onSubmit={submit} aria-label="New referral" noValidate>
      <Stack gap="xs">
        <Group align="flex-start">
          <NativeSelect
            label="Source"
            value={form.source}
            data={SOURCES.map((s) => ({ value: s, label: humanize(s) }))}
            onChange={set('source')}
            error={errors.fields['source']}
          />
          <NativeSelect
            label="Reason"
            value={form.reasonCode}
            data={REASONS.map((r) => ({ value: r, label: humanize(r) }))}
            onChange={set('reasonCode')}
            error={errors.fields['reasonCode']}
          />
        </Group>
        <Group align="flex-start">
          <TextInput
            label="Referred by"
            required
            value={form.referrerName}
            onChange={set('referrerName')}
            error={errors.fields['referrer.name']}
            autoComplete="off"
          />
          <TextInput
            label="Organization"
            value={form.referrerOrganization}
            onChange={set('referrerOrganization')}
            error={errors.fields['referrer.organization']}
            autoComplete="off"
          />
          <TextInput
            label="Referrer phone"
            value={form.referrerPhone}
            onChange={set('referrerPhone')}
            error={errors.fields['referrer.phone']}
            autoComplete="off"
          />
          <TextInput
            label="Referrer e-mail"
            value={form.referrerEmail}
            onChange={set('referrerEmail')}
            error={errors.fields['referrer.email']}
            autoComplete="off"
          />
        </Group>
        <StepProblem title="The referral was not received" error={errors.general} />
        <Group>
          <Button type="submit" loading={receive.isPending}>
            Receive referral
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** A received referral: what it is, and closing it (declined, referred elsewhere) while it is open. */
export function ReferralSummary({
  referral,
  onContinue,
}: {
  referral: Referral;
  onContinue: () => void;
}): ReactNode {
  const api = useApi();
  const queryClient = useQueryClient();
  const close = useMutation({
    mutationFn: async (to: 'declined' | 'referred-elsewhere') => {
      const { data } = await api.intake.POST('/v1/referrals/{referralId}/transitions', {
        params: { path: { referralId: referral.id } },
        body: { to },
      });
      return data;
    },
    onSuccess: (updated) => {
      if (updated !== undefined) queryClient.setQueryData(['intake', 'referral', referral.id], updated);
    },
  });
  const open = OPEN_STATUSES.includes(referral.status);
  return (
    <Stack gap="xs">
      <Group>
        <Text>
          {humanize(referral.reasonCode)}, referred by {referral.referrer.name}
          {referral.referrer.organization === undefined ? '' : ` (${referral.referrer.organization})`}, source{' '}
          {humanize(referral.source).toLowerCase()}, received {referral.receivedAt.slice(0, 10)}
        </Text>
        <Badge color={open ? 'blue' : 'gray'} data-testid="referral-status">
          {humanize(referral.status)}
        </Badge>
      </Group>
      <StepProblem title="The referral was not closed" error={close.error} />
      <Group>
        {open && <Button onClick={onContinue}>Continue</Button>}
        {open && (
          <>
            <Button variant="default" loading={close.isPending} onClick={() => close.mutate('declined')}>
              Decline referral
            </Button>
            <Button
              variant="default"
              loading={close.isPending}
              onClick={() => close.mutate('referred-elsewhere')}
            >
              Referred elsewhere
            </Button>
          </>
        )}
      </Group>
      {!open && <Text c="dimmed">This referral is closed: nothing is left to do in intake.</Text>}
    </Stack>
  );
}

/** The site's open referrals (received, screening, assessed), oldest first: an intake resumes from one. */
function OpenReferrals({ site, onPick }: { site: string; onPick: (referral: Referral) => void }): ReactNode {
  const api = useApi();
  const referrals = useQuery({
    queryKey: ['intake', 'open-referrals', site],
    queryFn: async (): Promise<Referral[]> => {
      const pages = await Promise.all(
        OPEN_STATUSES.map(async (status) => {
          const { data } = await api.intake.GET('/v1/sites/{siteId}/referrals', {
            params: { path: { siteId: site }, query: { status, limit: 100 } },
          });
          return (data as unknown as Page<Referral> | undefined)?.items ?? [];
        }),
      );
      return pages.flat().sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
    },
  });
  return (
    <>
      <QueryState label="Open referrals" isPending={referrals.isPending} error={referrals.error} />
      {referrals.data?.length === 0 && <Text c="dimmed">No open referrals at this site.</Text>}
      {referrals.data !== undefined && referrals.data.length > 0 && (
        <Table aria-label="Open referrals">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Received</Table.Th>
              <Table.Th>Reason</Table.Th>
              <Table.Th>Referred by</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {referrals.data.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{r.receivedAt.slice(0, 10)}</Table.Td>
                <Table.Td>{humanize(r.reasonCode)}</Table.Td>
                <Table.Td>{r.referrer.organization ?? r.referrer.name}</Table.Td>
                <Table.Td>{humanize(r.status)}</Table.Td>
                <Table.Td>
                  <Button size="xs" variant="light" onClick={() => onPick(r)}>
                    Resume
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}

/**
 * Where an intake starts: a new referral, or one already under way, found among the site's open referrals or
 * by the client's name (sent in a POST body, never the address).
 */
export function IntakeStart({
  site,
  onReceived,
  onResumeReferral,
  onResumeClient,
  onWithoutReferral,
}: {
  site: string;
  onReceived: (referral: Referral) => void;
  onResumeReferral: (referral: Referral) => void;
  onResumeClient: (clientId: string) => void;
  onWithoutReferral: () => void;
}): ReactNode {
  return (
    <Stack gap="md">
      <Paper withBorder p="sm" component="section" aria-label="New referral">
        <Title order={3} size="h5" mb="xs">
          New referral
        </Title>
        <ReferralForm site={site} onReceived={onReceived} />
        <Button mt="xs" variant="subtle" onClick={onWithoutReferral}>
          Register a client without a referral
        </Button>
      </Paper>
      <Paper withBorder p="sm" component="section" aria-label="Resume an intake">
        <Title order={3} size="h5" mb="xs">
          Resume an intake
        </Title>
        <OpenReferrals site={site} onPick={onResumeReferral} />
        <Text size="sm" mt="sm" mb={4}>
          Or find the client:
        </Text>
        <ClientSearch
          site={site}
          label="Find a client to resume"
          nameCell={(c) =>
            c.activeEpisodeId === null ? (
              <Button size="xs" variant="light" onClick={() => onResumeClient(c.id)}>
                {c.familyName}, {c.givenName}
              </Button>
            ) : (
              <Text size="sm">
                {c.familyName}, {c.givenName} (already admitted)
              </Text>
            )
          }
        />
      </Paper>
    </Stack>
  );
}
