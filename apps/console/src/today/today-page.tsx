import { Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { type components } from '../api/generated/scheduling';
import { useSession } from '../auth/session';
import { useApi, useClock } from '../shell/api-context';
import { useSite } from '../shell/layout';
import { QueryState } from '../shell/status';
import { addDays, humanize, localDate, parseDate, timeRange } from './dates';
import { clientLabel, useClientNames } from './use-names';

type DaySession = components['schemas']['DaySessionItem'];

/** The day's groups and individual sessions at the chosen site, with their rosters. */
export function TodayPage(): ReactNode {
  const api = useApi();
  const clock = useClock();
  const site = useSite() ?? '';
  const [params, setParams] = useSearchParams();
  const today = localDate(clock());
  const date = parseDate(params.get('date')) ?? today;
  const calendar = useQuery({
    queryKey: ['day', site, date],
    queryFn: async () => {
      const { data } = await api.scheduling.GET('/v1/sites/{siteId}/sessions', {
        params: { path: { siteId: site }, query: { date, limit: 100 } },
      });
      return data;
    },
  });
  const go = (next: string): void => {
    const p = new URLSearchParams(params);
    p.set('date', next);
    setParams(p);
  };
  const sessions = (calendar.data?.items ?? []).filter((o) => o.status !== 'cancelled');

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h3">
          {date === today ? 'Today' : 'Sessions'} · {date}
        </Title>
        <Group gap="xs">
          <Button variant="default" size="xs" onClick={() => go(addDays(date, -1))}>
            Previous day
          </Button>
          <Button variant="default" size="xs" onClick={() => go(today)} disabled={date === today}>
            Today
          </Button>
          <Button variant="default" size="xs" onClick={() => go(addDays(date, 1))}>
            Next day
          </Button>
        </Group>
      </Group>
      <QueryState label="The calendar" isPending={calendar.isPending} error={calendar.error} />
      {calendar.isSuccess && sessions.length === 0 && (
        <Text c="dimmed">No sessions at this site on {date}.</Text>
      )}
      {sessions.map((occurrence) => (
        <SessionCard key={occurrence.id} occurrence={occurrence} site={site} />
      ))}
    </Stack>
  );
}

function SessionCard({ occurrence, site }: { occurrence: DaySession; site: string }): ReactNode {
  const session = useSession();
  const [open, setOpen] = useState(false);
  const title = `${humanize(occurrence.sessionType)} · ${timeRange(occurrence.startsAt, occurrence.endsAt)}`;
  return (
    <Paper withBorder p="sm" component="section" aria-label={title}>
      <Group justify="space-between">
        <Stack gap={2}>
          <Text fw={600}>{title}</Text>
          <Group gap="xs">
            <Badge variant="light">{occurrence.kind}</Badge>
            <Badge variant="outline">{occurrence.modality}</Badge>
            {/* The room is the site's own name for it ("Room 5", "Garden room"): shown as given. */}
            {occurrence.room !== null && <Text size="sm">{occurrence.room}</Text>}
            {occurrence.videoLink !== null && <Text size="sm">Video: {occurrence.videoLink}</Text>}
            {occurrence.facilitatorName !== null && <Text size="sm">With {occurrence.facilitatorName}</Text>}
            {occurrence.facilitatorId === session.claims.subject && (
              <Badge color="teal">You facilitate</Badge>
            )}
          </Group>
        </Stack>
        <Group gap="xs">
          <Button variant="default" size="xs" onClick={() => setOpen(!open)} aria-expanded={open}>
            {open ? 'Hide roster' : 'Roster'}
          </Button>
          {session.can('take-attendance') && (
            <Button component={Link} to={`/sessions/${occurrence.id}?site=${site}`} size="xs">
              Take attendance
            </Button>
          )}
        </Group>
      </Group>
      {open && <Roster roster={occurrence.roster} />}
    </Paper>
  );
}

function Roster({ roster }: { roster: DaySession['roster'] }): ReactNode {
  const names = useClientNames(roster.map((a) => a.clientId));
  if (roster.length === 0) return <Text c="dimmed">Nobody is booked.</Text>;
  return (
    <Table mt="sm" striped aria-label="Roster">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Client</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {roster.map((a) => (
          <Table.Tr key={a.appointmentId}>
            <Table.Td>{clientLabel(names, a.clientId)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
