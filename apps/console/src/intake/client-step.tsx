import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useApi, useClock } from '../shell/api-context';
import { localDate } from '../today/dates';
import { type Client, clientBody, type ClientForm, clientProblems } from './intake-flow';
import { StepProblem, stepErrors } from './step-errors';

const SHOWN = [
  'givenName',
  'familyName',
  'dateOfBirth',
  'pronouns',
  'preferredLanguage',
  'timeZone',
  'phone',
  'email',
  'referralId',
];

/**
 * Registers the client (POST /v1/clients), linked to the referral when there is one. Names, birth date and
 * contacts go in the body only; the address then carries the new client's id.
 */
export function ClientForm({
  site,
  referralId,
  onRegistered,
}: {
  site: string;
  referralId: string | undefined;
  onRegistered: (client: Client) => void;
}): ReactNode {
  const api = useApi();
  const clock = useClock();
  const [form, setForm] = useState<ClientForm>({
    givenName: '',
    familyName: '',
    dateOfBirth: '',
    pronouns: '',
    preferredLanguage: 'en',
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    phone: '',
    email: '',
  });
  const [local, setLocal] = useState({});
  const register = useMutation({
    mutationFn: async (): Promise<Client> => {
      const { data } = await api.intake.POST('/v1/clients', { body: clientBody(site, referralId, form) });
      if (data === undefined) throw new Error('The service answered without the client.');
      return data;
    },
    onSuccess: onRegistered,
  });
  const errors = stepErrors(local, register.error, SHOWN);
  const field = (key: keyof ClientForm, label: string, extra: { type?: string; required?: boolean } = {}) => (
    <TextInput
      label={label}
      value={form[key]}
      onChange={(e) => setForm({ ...form, [key]: e.currentTarget.value })}
      error={errors.fields[key]}
      autoComplete="off"
      {...extra}
    />
  );
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const problems = clientProblems(form, localDate(clock()));
    setLocal(problems);
    if (Object.keys(problems).length === 0) register.mutate();
  };
  return (
    <form onSubmit={submit} aria-label="Register the client" noValidate>
      <Stack gap="xs">
        <Group align="flex-start">
          {field('givenName', 'Given name', { required: true })}
          {field('familyName', 'Family name', { required: true })}
          {field('dateOfBirth', 'Date of birth', { type: 'date', required: true })}
          {field('pronouns', 'Pronouns')}
        </Group>
        <Group align="flex-start">
          {field('preferredLanguage', 'Preferred language', { required: true })}
          {field('timeZone', 'Time zone', { required: true })}
          {field('phone', 'Phone')}
          {field('email', 'E-mail')}
        </Group>
        {errors.fields['referralId'] !== undefined && (
          <Text c="red" size="sm" role="alert">
            {errors.fields['referralId']}
          </Text>
        )}
        <StepProblem title="The client was not registered" error={errors.general} />
        <Group>
          <Button type="submit" loading={register.isPending}>
            Register client
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The registered client, as the step shows them once done. */
export function ClientSummary({ client }: { client: Client }): ReactNode {
  return (
    <Text data-testid="intake-client">
      {client.familyName}, {client.givenName} · born {client.dateOfBirth} · {client.preferredLanguage} ·{' '}
      {client.timeZone}
    </Text>
  );
}
