import { Anchor, Badge, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode } from 'react';
import { Link } from 'react-router';
import { hours } from '../attendance/week-hours';
import { useSession } from '../auth/session';
import { type Track, useTracks } from '../reviews/use-tracks';
import { useApi, useClock } from '../shell/api-context';
import { useSite } from '../shell/layout';
import { ProblemAlert, QueryState } from '../shell/status';
import { humanize, localDate } from '../today/dates';
import { ClientSearch } from './client-search';
import { type CensusGroup, type CensusRow, joinCensus, pastExpectedStay, shortOfHours } from './census-rows';

/** Pages a census holds at most: a site's active clients fit well within this (100 a page). */
const MAX_PAGES = 20;

/** Every page of a cursor-paged list. */
async function allPages<T>(
  page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null } | undefined>,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < MAX_PAGES; i += 1) {
    const data = await page(cursor);
    items.push(...(data?.items ?? []));
    if (data?.nextCursor === null || data?.nextCursor === undefined) break;
    cursor = data.nextCursor;
  }
  return items;
}

/**
 * The site's active clients by level and track: intake's census (names, level, track), joined with sessions'
 * (this week's hours, last drug screen, weeks in program) and notifications' (open alerts) when the role may read
 * them. Each part loads, and fails, on its own.
 */
export function CensusPage(): ReactNode {
  const api = useApi();
  const session = useSession();
  const clock = useClock();
  const site = useSite() ?? '';
  const date = localDate(clock());
  const withProgress = session.can('read-attendance');
  const withAlerts = session.can('read-alerts');

  const entries = useQuery({
    queryKey: ['census', 'intake', site],
    queryFn: () =>
      allPages(async (cursor) => {
        const { data } = await api.intake.GET('/v1/sites/{siteId}/census', {
          params: { path: { siteId: site }, query: { limit: 100, ...(cursor ? { cursor } : {}) } },
        });
        return data;
      }),
  });
  const progress = useQuery({
    queryKey: ['census', 'sessions', site, date],
    enabled: withProgress,
    queryFn: () =>
      allPages(async (cursor) => {
        const { data } = await api.sessions.GET('/v1/sites/{siteId}/census', {
          params: { path: { siteId: site }, query: { date, limit: 100, ...(cursor ? { cursor } : {}) } },
        });
        return data;
      }),
  });
  const alerts = useQuery({
    queryKey: ['census', 'alerts', site],
    enabled: withAlerts,
    queryFn: () =>
      allPages(async (cursor) => {
        const { data } = await api.notifications.GET('/v1/sites/{siteId}/alerts', {
          params: { path: { siteId: site }, query: { limit: 100, ...(cursor ? { cursor } : {}) } },
        });
        return data;
      }),
  });
  const tracks = useTracks(site);
  const groups = joinCensus(entries.data ?? [], progress.data, alerts.data);

  return (
    <Stack>
      <Title order={1} size="h3">
        Census · week of {date}
      </Title>
      <ClientSearch
        site={site}
        nameCell={(c) => (
          <Anchor component={Link} to={chartPath(c.id, c.activeEpisodeId, site)}>
            {c.familyName}, {c.givenName}
          </Anchor>
        )}
      />
      <QueryState label="The census" isPending={entries.isPending} error={entries.error} />
      {withProgress && progress.isError && (
        <ProblemAlert title="Hours, screens and weeks did not load" error={progress.error} />
      )}
      {withAlerts && alerts.isError && <ProblemAlert title="Open alerts did not load" error={alerts.error} />}
      {entries.isSuccess && groups.length === 0 && <Text c="dimmed">No active clients at this site.</Text>}
      {groups.map((group) => (
        <CensusTable
          key={`${group.levelOfCare}|${group.programTrackId}`}
          group={group}
          site={site}
          track={tracks.find((t) => t.id === group.programTrackId)}
          progressPending={withProgress && progress.isPending}
          alertsPending={withAlerts && alerts.isPending}
          withProgress={withProgress}
          withAlerts={withAlerts}
        />
      ))}
    </Stack>
  );
}

function CensusTable({
  group,
  site,
  track,
  progressPending,
  alertsPending,
  withProgress,
  withAlerts,
}: {
  group: CensusGroup;
  site: string;
  track: Track | undefined;
  progressPending: boolean;
  alertsPending: boolean;
  withProgress: boolean;
  withAlerts: boolean;
}): ReactNode {
  const title = `Level ${group.levelOfCare} · ${track?.name ?? `Track ${group.programTrackId.slice(0, 8)}`}`;
  return (
    <Paper withBorder p="sm" component="section" aria-label={title}>
      <Group justify="space-between">
        <Text fw={600}>{title}</Text>
        <Badge variant="light">{group.rows.length} active</Badge>
      </Group>
      <Table mt="xs" striped aria-label={`Clients at ${title}`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Client</Table.Th>
            <Table.Th>Admitted</Table.Th>
            {withProgress && <Table.Th>Hours this week</Table.Th>}
            {withProgress && <Table.Th>Last screen</Table.Th>}
            {withAlerts && <Table.Th>Open alerts</Table.Th>}
            {withProgress && <Table.Th>Weeks in program</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {group.rows.map((row) => (
            <Table.Tr key={row.entry.episodeId} data-testid={`census-${row.entry.clientId}`}>
              <Table.Td>
                <Anchor component={Link} to={chartPath(row.entry.clientId, row.entry.episodeId, site)}>
                  {row.entry.familyName}, {row.entry.givenName}
                </Anchor>
              </Table.Td>
              <Table.Td>{row.entry.admittedOn}</Table.Td>
              {withProgress && <Table.Td>{progressPending ? '…' : <HoursCell row={row} />}</Table.Td>}
              {withProgress && <Table.Td>{progressPending ? '…' : <ScreenCell row={row} />}</Table.Td>}
              {withAlerts && <Table.Td>{alertsPending ? '…' : <AlertsCell row={row} />}</Table.Td>}
              {withProgress && <Table.Td>{progressPending ? '…' : <WeeksCell row={row} />}</Table.Td>}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

const NOT_READ = '—';

/** The chart's address: ids only. */
const chartPath = (clientId: string, episodeId: string | null, site: string): string =>
  `/clients/${clientId}?site=${site}${episodeId === null ? '' : `&episode=${episodeId}`}`;

function HoursCell({ row }: { row: CensusRow }): ReactNode {
  const p = row.progress;
  if (p === undefined) return NOT_READ;
  if (p.requiredMinutes === null) return `${hours(p.attendedMinutes)} h (no minimum)`;
  return (
    <Text size="sm" c={shortOfHours(p) ? 'orange' : 'teal'}>
      {hours(p.attendedMinutes)} h of {hours(p.requiredMinutes)} h
    </Text>
  );
}

function ScreenCell({ row }: { row: CensusRow }): ReactNode {
  const screen = row.progress?.lastScreen;
  if (row.progress === undefined) return NOT_READ;
  if (screen === null || screen === undefined) return 'None yet';
  return (
    <Group gap={4}>
      <Badge color={screen.result === 'negative' ? 'gray' : 'red'} variant="light">
        {screen.result}
      </Badge>
      <Text size="xs">{screen.collectedOn}</Text>
    </Group>
  );
}

function AlertsCell({ row }: { row: CensusRow }): ReactNode {
  if (row.alerts === undefined) return NOT_READ;
  if (row.alerts.length === 0) return 'None';
  return (
    <Group gap={4}>
      {row.alerts.map((a) => (
        <Badge key={a.alertId} color={a.urgent ? 'red' : 'yellow'} variant="light">
          {humanize(a.alert)}
          {a.awaitingAcknowledgement ? ' (unacknowledged)' : ''}
        </Badge>
      ))}
    </Group>
  );
}

function WeeksCell({ row }: { row: CensusRow }): ReactNode {
  const p = row.progress;
  if (p === undefined) return NOT_READ;
  if (p.expectedStayWeeks === null) return `${p.weeksInProgram}`;
  return (
    <Text size="sm" c={pastExpectedStay(p) ? 'orange' : undefined}>
      {p.weeksInProgram} of {p.expectedStayWeeks}
    </Text>
  );
}
