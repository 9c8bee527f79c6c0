import { Alert, Button, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { type RosterView } from '@stepwise/api-model';
import { useSession } from '../auth/session';
import { GroupNote } from '../notes/group-note';
import { useApi } from '../shell/api-context';
import { useSite } from '../shell/layout';
import { ProblemAlert, QueryState } from '../shell/status';
import { humanize, timeRange } from '../today/dates';
import { clientLabel, useClientNames } from '../today/use-names';
import {
  attended,
  initialMarks,
  type Mark,
  markProblems,
  needsMinutes,
  needsReason,
  REASONS,
  STATUSES,
  toEntries,
} from './marks';
import { WeekHours } from './week-hours';

/** One session: take attendance, then write and sign the group note. */
export function SessionPage(): ReactNode {
  const { occurrenceId = '' } = useParams();
  const api = useApi();
  const site = useSite();
  const roster = useQuery({
    queryKey: ['roster', occurrenceId],
    queryFn: async () => {
      const { data } = await api.scheduling.GET('/v1/occurrences/{occurrenceId}/roster', {
        params: { path: { occurrenceId } },
      });
      return data as unknown as RosterView;
    },
  });
  const recorded = useQuery({
    queryKey: ['attendance', occurrenceId],
    queryFn: async () => {
      const { data } = await api.sessions.GET('/v1/occurrences/{occurrenceId}/attendance', {
        params: { path: { occurrenceId } },
      });
      return data?.records ?? [];
    },
  });
  const attendees = (roster.data?.attendees ?? []).filter((a) => a.status !== 'cancelled');
  const names = useClientNames(attendees.map((a) => a.clientId));

  if (!roster.isSuccess || !recorded.isSuccess) {
    return (
      <Stack>
        <QueryState label="The session" isPending={roster.isPending} error={roster.error} />
        <QueryState label="Its attendance" isPending={recorded.isPending} error={recorded.error} />
      </Stack>
    );
  }
  const occurrence = roster.data.occurrence;
  const minutes = Math.round((Date.parse(occurrence.endsAt) - Date.parse(occurrence.startsAt)) / 60_000);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h3">
          {humanize(occurrence.sessionType)} · {occurrence.localDate} ·{' '}
          {timeRange(occurrence.startsAt, occurrence.endsAt)}
        </Title>
        <Button
          component={Link}
          variant="default"
          size="xs"
          to={`/today?site=${site ?? ''}&date=${occurrence.localDate}`}
        >
          Back to the day
        </Button>
      </Group>
      <AttendanceForm
        key={recorded.dataUpdatedAt}
        occurrenceId={occurrenceId}
        sessionDate={occurrence.localDate}
        sessionMinutes={minutes}
        initial={initialMarks(attendees, recorded.data)}
        names={names}
        episodes={new Map(attendees.map((a) => [a.id, a.episodeId]))}
        isGroup={occurrence.kind === 'group'}
        recordedOnce={recorded.data.length > 0}
      />
    </Stack>
  );
}

function AttendanceForm(props: {
  occurrenceId: string;
  sessionDate: string;
  sessionMinutes: number;
  initial: Mark[];
  names: Map<string, string>;
  /** Each appointment's episode, whose signed plan's goals the note may link. */
  episodes: Map<string, string>;
  isGroup: boolean;
  recordedOnce: boolean;
}): ReactNode {
  const api = useApi();
  const session = useSession();
  const queryClient = useQueryClient();
  const [marks, setMarks] = useState(props.initial);
  const [tried, setTried] = useState(false);
  const [saved, setSaved] = useState(props.recordedOnce);
  const problems = markProblems(marks, props.sessionMinutes);
  const mayWrite = session.can('take-attendance');
  const save = useMutation({
    mutationFn: async () => {
      await api.sessions.PUT('/v1/occurrences/{occurrenceId}/attendance', {
        params: { path: { occurrenceId: props.occurrenceId } },
        body: { entries: toEntries(marks) },
      });
    },
    onSuccess: async () => {
      setSaved(true);
      await queryClient.invalidateQueries({ queryKey: ['progress'] });
    },
  });
  useEffect(() => setSaved(props.recordedOnce), [props.recordedOnce]);
  const change = (appointmentId: string, patch: Partial<Mark>): void => {
    setSaved(false);
    setMarks((rows) => rows.map((row) => (row.appointmentId === appointmentId ? { ...row, ...patch } : row)));
  };
  return (
    <Stack>
      <Title order={2} size="h4">
        Attendance
      </Title>
      <form
        aria-label="Attendance"
        onSubmit={(event) => {
          event.preventDefault();
          setTried(true);
          if (problems.size === 0) save.mutate();
        }}
      >
        <Table aria-label="Attendance" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Client</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Minutes attended</Table.Th>
              <Table.Th>Reason</Table.Th>
              <Table.Th>Hours this week</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {marks.map((mark) => {
              const who = clientLabel(props.names, mark.clientId);
              const problem = tried ? problems.get(mark.appointmentId) : undefined;
              return (
                <Table.Tr key={mark.appointmentId}>
                  <Table.Td>{who}</Table.Td>
                  <Table.Td>
                    <NativeSelect
                      aria-label={`Status of ${who}`}
                      disabled={!mayWrite}
                      value={mark.status}
                      data={STATUSES.map((s) => ({ value: s, label: humanize(s) }))}
                      onChange={(e) => {
                        const status = e.currentTarget.value as Mark['status'];
                        change(mark.appointmentId, {
                          status,
                          minutes: needsMinutes(status) ? mark.minutes : '',
                          reason: needsReason(status) ? mark.reason : '',
                        });
                      }}
                    />
                  </Table.Td>
                  <Table.Td>
                    {needsMinutes(mark.status) ? (
                      <TextInput
                        aria-label={`Minutes attended by ${who}`}
                        inputMode="numeric"
                        disabled={!mayWrite}
                        value={mark.minutes}
                        error={problem}
                        onChange={(e) => change(mark.appointmentId, { minutes: e.currentTarget.value })}
                      />
                    ) : (
                      <Text size="sm" c="dimmed">
                        {attended(mark.status) ? `${props.sessionMinutes} (whole session)` : '0'}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {needsReason(mark.status) && (
                      <NativeSelect
                        aria-label={`Reason for ${who}`}
                        disabled={!mayWrite}
                        value={mark.reason}
                        error={problem}
                        data={[
                          { value: '', label: 'Choose…' },
                          ...REASONS.map((r) => ({ value: r, label: humanize(r) })),
                        ]}
                        onChange={(e) =>
                          change(mark.appointmentId, { reason: e.currentTarget.value as Mark['reason'] })
                        }
                      />
                    )}
                  </Table.Td>
                  <Table.Td>
                    <WeekHours clientId={mark.clientId} sessionDate={props.sessionDate} />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        {mayWrite && (
          <Group mt="sm">
            <Button type="submit" loading={save.isPending}>
              Save attendance
            </Button>
            {saved && !save.isPending && (
              <Text size="sm" c="teal" role="status">
                Attendance saved.
              </Text>
            )}
          </Group>
        )}
      </form>
      {tried && problems.size > 0 && (
        <Alert color="yellow" role="alert" title="Attendance is not complete">
          {[...problems.values()].join('; ')}
        </Alert>
      )}
      {save.error !== null && <ProblemAlert title="Attendance was not saved" error={save.error} />}
      {props.isGroup && saved && session.can('write-notes') && (
        <GroupNote
          occurrenceId={props.occurrenceId}
          attendees={marks
            .filter((m) => attended(m.status))
            .map((m) => ({
              appointmentId: m.appointmentId,
              episodeId: props.episodes.get(m.appointmentId),
              label: clientLabel(props.names, m.clientId),
            }))}
        />
      )}
    </Stack>
  );
}
