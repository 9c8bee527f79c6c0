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
import { useParams, useSearchParams } from 'react-router';
import { type components } from '../api/generated/intake';
import { type PageView as Page } from '@stepwise/api-model';
import { UUID } from '../census/census-rows';
import { hours } from '../attendance/week-hours';
import { type Ability } from '../auth/abilities';
import { useSession } from '../auth/session';
import { useApi, useClock } from '../shell/api-context';
import { ProblemAlert, QueryState } from '../shell/status';
import { humanize, localDate, parseDate } from '../today/dates';
import { GrantConsent } from './grant-consent';

type Schemas = components['schemas'];
type Consent = Schemas['ConsentView'];
type RevokedBy = Schemas['RevokeConsentDto']['revokedBy'];

/** A section of the chart: loads, fails and is offered on its own (a role without the read sees no section). */
function Section({
  title,
  ability,
  children,
}: {
  title: string;
  ability: Ability;
  children: ReactNode;
}): ReactNode {
  const session = useSession();
  if (!session.can(ability)) return null;
  return (
    <Paper withBorder p="sm" component="section" aria-label={title}>
      <Title order={2} size="h5" mb="xs">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

/**
 * A client's chart, read-only but for consents: `/clients/{clientId}?episode={episodeId}` (ids only in the
 * address). Each section reads its own route; the client's name is shown, never put in the address or storage.
 */
export function ClientChartPage(): ReactNode {
  const session = useSession();
  const { clientId = '' } = useParams();
  const [params] = useSearchParams();
  const episodeParam = params.get('episode');
  const episodeId = episodeParam !== null && UUID.test(episodeParam) ? episodeParam : undefined;
  if (!session.can('read-clients')) {
    return <Text role="alert">Your role does not allow reading client charts.</Text>;
  }
  if (!UUID.test(clientId)) return <Text role="alert">Not a client id.</Text>;
  return (
    <Stack>
      <Demographics clientId={clientId} />
      <Screenings clientId={clientId} />
      <Levels clientId={clientId} episodeId={episodeId} />
      <Plan episodeId={episodeId} />
      <Consents clientId={clientId} />
      <Progress clientId={clientId} />
      <Section title="Notes" ability="read-notes">
        <Text c="dimmed" size="sm">
          Notes are opened from their session: the services offer no list of a client&apos;s notes yet.
        </Text>
      </Section>
    </Stack>
  );
}

function Demographics({ clientId }: { clientId: string }): ReactNode {
  const api = useApi();
  const client = useQuery({
    queryKey: ['client', clientId],
    queryFn: async () => {
      const { data } = await api.intake.GET('/v1/clients/{clientId}', { params: { path: { clientId } } });
      return data;
    },
  });
  const c = client.data;
  return (
    <Stack gap="xs">
      <Title order={1} size="h3">
        {c === undefined ? `Client ${clientId.slice(0, 8)}` : `${c.familyName}, ${c.givenName}`}
      </Title>
      <QueryState label="The client" isPending={client.isPending} error={client.error} />
      {c !== undefined && (
        <Paper withBorder p="sm" component="section" aria-label="Demographics">
          <Table variant="vertical" aria-label="Demographics">
            <Table.Tbody>
              <Row label="Born" value={c.dateOfBirth} />
              <Row label="Pronouns" value={c.pronouns ?? '—'} />
              <Row label="Language" value={c.preferredLanguage} />
              <Row label="Phone" value={c.phone ?? '—'} />
              <Row label="Email" value={c.email ?? '—'} />
              <Row
                label="Address"
                value={
                  c.address === null
                    ? '—'
                    : Object.values(c.address)
                        .filter((v) => typeof v === 'string' && v !== '')
                        .join(', ')
                }
              />
              <Row label="Client id" value={c.id} />
            </Table.Tbody>
          </Table>
        </Paper>
      )}
    </Stack>
  );
}

const Row = ({ label, value }: { label: string; value: string }): ReactNode => (
  <Table.Tr>
    <Table.Th w={160}>{label}</Table.Th>
    <Table.Td>{value}</Table.Td>
  </Table.Tr>
);

function Screenings({ clientId }: { clientId: string }): ReactNode {
  const api = useApi();
  const session = useSession();
  const screenings = useQuery({
    queryKey: ['chart', 'screenings', clientId],
    enabled: session.can('read-screenings'),
    queryFn: async () => {
      const { data } = await api.intake.GET('/v1/clients/{clientId}/screenings', {
        params: { path: { clientId }, query: { limit: 100 } },
      });
      return (data as unknown as Page<Schemas['ScreeningView']>).items;
    },
  });
  return (
    <Section title="Screenings" ability="read-screenings">
      <QueryState label="Screenings" isPending={screenings.isPending} error={screenings.error} />
      {screenings.data?.length === 0 && <Text c="dimmed">No screenings.</Text>}
      {screenings.data !== undefined && screenings.data.length > 0 && (
        <Table striped aria-label="Screenings">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Completed</Table.Th>
              <Table.Th>Instrument</Table.Th>
              <Table.Th>Score</Table.Th>
              <Table.Th>Band</Table.Th>
              <Table.Th>Flags</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {screenings.data.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td>{s.completedAt.slice(0, 10)}</Table.Td>
                <Table.Td>{s.instrument.toUpperCase()}</Table.Td>
                <Table.Td>{s.totalScore}</Table.Td>
                <Table.Td>{humanize(s.band)}</Table.Td>
                <Table.Td>
                  {s.urgentFlags.map((f) => (
                    <Badge key={f} color="red" variant="light">
                      {humanize(f)}
                    </Badge>
                  ))}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Section>
  );
}

function Levels({ clientId, episodeId }: { clientId: string; episodeId: string | undefined }): ReactNode {
  const api = useApi();
  const session = useSession();
  const assessments = useQuery({
    queryKey: ['chart', 'assessments', clientId],
    enabled: session.can('read-screenings'),
    queryFn: async () => {
      const { data } = await api.intake.GET('/v1/clients/{clientId}/assessments', {
        params: { path: { clientId }, query: { limit: 100 } },
      });
      return (data as unknown as Page<Schemas['AssessmentView']>).items;
    },
  });
  const episode = useQuery({
    queryKey: ['chart', 'episode', episodeId],
    enabled: episodeId !== undefined && session.can('read-clients'),
    queryFn: async () => {
      const { data } = await api.intake.GET('/v1/episodes/{episodeId}', {
        params: { path: { episodeId: episodeId ?? '' } },
      });
      return data;
    },
  });
  return (
    <Section title="Assessments and level of care" ability="read-screenings">
      <QueryState label="Assessments" isPending={assessments.isPending} error={assessments.error} />
      {assessments.data?.length === 0 && <Text c="dimmed">No assessments.</Text>}
      {assessments.data !== undefined && assessments.data.length > 0 && (
        <Table striped aria-label="Assessments">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Assessed</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Computed</Table.Th>
              <Table.Th>Recommended</Table.Th>
              <Table.Th>Override reason</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {assessments.data.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>{a.assessedAt.slice(0, 10)}</Table.Td>
                <Table.Td>{humanize(a.kind)}</Table.Td>
                <Table.Td>{a.computedLevel}</Table.Td>
                <Table.Td>{a.recommendedLevel}</Table.Td>
                <Table.Td>{a.overrideReason === null ? '—' : humanize(a.overrideReason)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {episodeId === undefined ? (
        <Text c="dimmed" mt="xs">
          No episode chosen: open the chart from the census to see the level history.
        </Text>
      ) : (
        <>
          <QueryState label="The episode" isPending={episode.isPending} error={episode.error} />
          {episode.data !== undefined && (
            <>
              <Text mt="xs" size="sm">
                Admitted {episode.data.admittedOn} · {humanize(episode.data.status)} · clinical level{' '}
                {episode.data.clinicalLevel} · authorized {episode.data.authorizedLevel ?? '—'}
              </Text>
              <Table striped aria-label="Level history">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Effective</Table.Th>
                    <Table.Th>Kind</Table.Th>
                    <Table.Th>From</Table.Th>
                    <Table.Th>To</Table.Th>
                    <Table.Th>Reason</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {episode.data.levelHistory.map((l, i) => (
                    <Table.Tr key={`${l.effectiveAt}-${i}`}>
                      <Table.Td>{l.effectiveAt.slice(0, 10)}</Table.Td>
                      <Table.Td>{humanize(l.kind)}</Table.Td>
                      <Table.Td>{l.fromLevel ?? '—'}</Table.Td>
                      <Table.Td>{l.toLevel}</Table.Td>
                      <Table.Td>{humanize(l.reasonCode)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </>
          )}
        </>
      )}
    </Section>
  );
}

function Plan({ episodeId }: { episodeId: string | undefined }): ReactNode {
  const api = useApi();
  const session = useSession();
  const plans = useQuery({
    queryKey: ['chart', 'plans', episodeId],
    enabled: episodeId !== undefined && session.can('read-plans'),
    queryFn: async () => {
      const { data } = await api.intake.GET('/v1/episodes/{episodeId}/plans', {
        params: { path: { episodeId: episodeId ?? '' } },
      });
      return data ?? [];
    },
  });
  const latest = plans.data?.at(-1);
  return (
    <Section title="Treatment plan" ability="read-plans">
      {episodeId === undefined ? (
        <Text c="dimmed">No episode chosen.</Text>
      ) : (
        <QueryState label="The plan" isPending={plans.isPending} error={plans.error} />
      )}
      {plans.data?.length === 0 && <Text c="dimmed">No plan yet.</Text>}
      {latest !== undefined && (
        <Stack gap="xs">
          <Text size="sm">
            Version {latest.version} · {humanize(latest.status)}
            {latest.signedAt !== null ? ` · signed ${latest.signedAt.slice(0, 10)}` : ''}
            {latest.reviewDueOn !== null ? ` · review due ${latest.reviewDueOn}` : ''}
          </Text>
          {latest.problems.map((p, i) => (
            <div key={i}>
              <Text fw={600} size="sm">
                {p.description}
              </Text>
              <ul>
                {p.goals.map((g, j) => (
                  <li key={g.id ?? j}>{g.description}</li>
                ))}
              </ul>
            </div>
          ))}
        </Stack>
      )}
    </Section>
  );
}

function Consents({ clientId }: { clientId: string }): ReactNode {
  const api = useApi();
  const session = useSession();
  const [granting, setGranting] = useState(false);
  const consents = useQuery({
    queryKey: ['chart', 'consents', clientId],
    enabled: session.can('read-consents'),
    queryFn: async () => {
      const { data } = await api.intake.GET('/v1/clients/{clientId}/consents', {
        params: { path: { clientId }, query: { limit: 100 } },
      });
      return (data as unknown as Page<Consent>).items;
    },
  });
  return (
    <Section title="Consents" ability="read-consents">
      <QueryState label="Consents" isPending={consents.isPending} error={consents.error} />
      {consents.data?.length === 0 && <Text c="dimmed">No consents.</Text>}
      {consents.data?.map((c) => (
        <ConsentRow key={c.id} consent={c} clientId={clientId} />
      ))}
      {session.can('write-consents') &&
        (granting ? (
          <GrantConsent clientId={clientId} onDone={() => setGranting(false)} />
        ) : (
          <Button size="xs" mt="xs" onClick={() => setGranting(true)}>
            Record a consent
          </Button>
        ))}
    </Section>
  );
}

const REVOKERS: readonly RevokedBy[] = ['client', 'legal-representative'];

function ConsentRow({ consent, clientId }: { consent: Consent; clientId: string }): ReactNode {
  const api = useApi();
  const session = useSession();
  const clock = useClock();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [revokedBy, setRevokedBy] = useState<RevokedBy>('client');
  const [receivedOn, setReceivedOn] = useState(localDate(clock()));
  const revoke = useMutation({
    mutationFn: async () => {
      await api.intake.POST('/v1/consents/{consentId}/revocation', {
        params: { path: { consentId: consent.id } },
        body: { revokedBy, receivedOn },
      });
    },
    onSuccess: async () => {
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey: ['chart', 'consents', clientId] });
    },
  });
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (parseDate(receivedOn) !== undefined) revoke.mutate();
  };
  const revoked = consent.revokedAt !== null;
  const label = `${consent.recipient.name} (${humanize(consent.recipient.kind)})`;
  return (
    <Paper withBorder p="xs" mb="xs" component="article" aria-label={`Consent to ${label}`}>
      <Group justify="space-between">
        <Stack gap={2}>
          <Text size="sm" fw={600}>
            To {label}
          </Text>
          <Text size="xs">
            {consent.purposes.map(humanize).join(', ')} ·{' '}
            {consent.informationCategories.map(humanize).join(', ')}
          </Text>
          <Text size="xs">
            Granted {consent.grantedAt.slice(0, 10)} · expires {consent.expiresAt.slice(0, 10)}
          </Text>
        </Stack>
        {revoked ? (
          <Badge color="gray">
            Revoked {consent.revocationReceivedOn ?? consent.revokedAt?.slice(0, 10)}
          </Badge>
        ) : (
          session.can('write-consents') &&
          !open && (
            <Button size="xs" variant="default" onClick={() => setOpen(true)}>
              Revoke
            </Button>
          )
        )}
      </Group>
      {open && (
        <form onSubmit={submit} aria-label="Record a revocation">
          <Group align="flex-end" mt="xs">
            <NativeSelect
              label="Revoked in writing by"
              value={revokedBy}
              data={REVOKERS.map((r) => ({ value: r, label: humanize(r) }))}
              onChange={(e) => setRevokedBy(e.currentTarget.value as RevokedBy)}
            />
            <TextInput
              label="Received on"
              type="date"
              value={receivedOn}
              onChange={(e) => setReceivedOn(e.currentTarget.value)}
            />
            <Button type="submit" size="xs" color="red" loading={revoke.isPending}>
              Record revocation
            </Button>
            <Button size="xs" variant="default" onClick={() => setOpen(false)}>
              Cancel
            </Button>
          </Group>
          {revoke.isError && <ProblemAlert title="The revocation was not recorded" error={revoke.error} />}
        </form>
      )}
    </Paper>
  );
}

function Progress({ clientId }: { clientId: string }): ReactNode {
  const api = useApi();
  const session = useSession();
  const progress = useQuery({
    queryKey: ['progress', clientId],
    enabled: session.can('read-attendance'),
    queryFn: async () => {
      const { data } = await api.sessions.GET('/v1/clients/{clientId}/progress', {
        params: { path: { clientId } },
      });
      return data;
    },
  });
  const p = progress.data;
  return (
    <Section title="Attendance and drug screens" ability="read-attendance">
      <QueryState label="Attendance" isPending={progress.isPending} error={progress.error} />
      {p !== undefined && (
        <Stack gap="xs">
          <Text size="sm">
            Level {p.levelOfCare} · attendance {Math.round(p.attendanceRate * 100)}%
          </Text>
          <Table striped aria-label="Hours by week">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Week of</Table.Th>
                <Table.Th>Hours</Table.Th>
                <Table.Th>Minimum</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {p.weeks.map((w) => (
                <Table.Tr key={w.weekStart}>
                  <Table.Td>{w.weekStart}</Table.Td>
                  <Table.Td>{hours(w.attendedMinutes)} h</Table.Td>
                  <Table.Td>{hours(w.requiredMinutes)} h</Table.Td>
                  <Table.Td>
                    {w.short && (
                      <Badge color="orange" variant="light">
                        Short
                      </Badge>
                    )}
                    {!w.closed && <Badge variant="outline">In progress</Badge>}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {session.can('read-drug-screens') && (
            <Table striped aria-label="Drug screens">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Collected</Table.Th>
                  <Table.Th>Result</Table.Th>
                  <Table.Th>Substances</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {p.screens.map((s) => (
                  <Table.Tr key={s.screenId}>
                    <Table.Td>{s.collectedOn}</Table.Td>
                    <Table.Td>{s.result}</Table.Td>
                    <Table.Td>{s.substanceCodes.join(', ') || '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      )}
    </Section>
  );
}
