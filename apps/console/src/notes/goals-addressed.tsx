import { Checkbox, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode } from 'react';
import { useSession } from '../auth/session';
import { useApi } from '../shell/api-context';
import { QueryState } from '../shell/status';
import { signedPlanGoals } from './plan-goals';

/**
 * The goals of one attendee's signed treatment plan, to tick those this session's section addressed. The plan
 * is read from intake (plans:read, audited there) under the chart's query key, so both share one read.
 */
export function GoalsAddressed({
  episodeId,
  label,
  value,
  onChange,
}: {
  episodeId: string | undefined;
  label: string;
  value: readonly string[];
  onChange: (goalIds: string[]) => void;
}): ReactNode {
  const api = useApi();
  const session = useSession();
  const allowed = session.can('read-plans');
  const plans = useQuery({
    queryKey: ['chart', 'plans', episodeId],
    enabled: episodeId !== undefined && allowed,
    queryFn: async () => {
      const { data } = await api.intake.GET('/v1/episodes/{episodeId}/plans', {
        params: { path: { episodeId: episodeId ?? '' } },
      });
      return data ?? [];
    },
  });
  if (!allowed || episodeId === undefined) return null;
  if (!plans.isSuccess) {
    return <QueryState label={`The plan of ${label}`} isPending={plans.isPending} error={plans.error} />;
  }
  const goals = signedPlanGoals(plans.data);
  if (goals.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No signed treatment plan: no goals to link.
      </Text>
    );
  }
  return (
    <Checkbox.Group label={`Plan goals addressed (${label})`} value={[...value]} onChange={onChange}>
      <Stack gap={4} mt={4}>
        {goals.map((goal) => (
          <Checkbox key={goal.id} value={goal.id} label={goal.description} description={goal.problem} />
        ))}
      </Stack>
    </Checkbox.Group>
  );
}
