import { Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode } from 'react';
import { type components } from '../api/generated/sessions';
import { useSession } from '../auth/session';
import { useApi } from '../shell/api-context';
import { addDays } from '../today/dates';

type Week = components['schemas']['WeekHoursView'];

/** The week (of the progress summary) that holds a date, if any. */
export function weekOf(weeks: readonly Week[], date: string): Week | undefined {
  return weeks.find((w) => w.weekStart <= date && date < addDays(w.weekStart, 7));
}

export const hours = (minutes: number): string => (Math.round((minutes / 60) * 10) / 10).toString();

/** A client's attended hours in the week of a session against the level's weekly minimum. */
export function WeekHours({ clientId, sessionDate }: { clientId: string; sessionDate: string }): ReactNode {
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
  if (!session.can('read-attendance')) return null;
  if (progress.isPending) return <Text size="sm">…</Text>;
  if (progress.isError)
    return (
      <Text size="sm" c="red">
        Not available
      </Text>
    );
  const week = weekOf(progress.data?.weeks ?? [], sessionDate);
  if (week === undefined)
    return (
      <Text size="sm" c="dimmed">
        No hours yet
      </Text>
    );
  const below = week.attendedMinutes < week.requiredMinutes;
  return (
    <Text size="sm" c={below ? 'orange' : 'teal'} data-testid={`week-hours-${clientId}`}>
      {hours(week.attendedMinutes)} h of {hours(week.requiredMinutes)} h
    </Text>
  );
}
