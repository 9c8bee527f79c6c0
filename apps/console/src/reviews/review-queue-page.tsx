import { Badge, Button, Code, Group, NativeSelect, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { type components } from '../api/generated/intake';
import { type PageView as Page } from '@stepwise/api-model';
import { useSession } from '../auth/session';
import { useApi } from '../shell/api-context';
import { useSite } from '../shell/layout';
import { ProblemAlert, QueryState } from '../shell/status';
import { humanize } from '../today/dates';
import { clientLabel, useClientNames } from '../today/use-names';
import { type Track, useTracks } from './use-tracks';

type Review = components['schemas']['ReviewView'];
type DeclineReason = components['schemas']['DeclineReviewDto']['reasonCode'];

const DECLINE_REASONS: readonly DeclineReason[] = [
  'clinical-judgement',
  'insufficient-evidence',
  'client-preference',
  'recent-relapse',
  'payer-denial',
  'level-not-available',
  'superseded',
];

/** Open step-down/step-up recommendations of the site, with their evidence; a supervisor decides them. */
export function ReviewQueuePage(): ReactNode {
  const api = useApi();
  const site = useSite() ?? '';
  const reviews = useQuery({
    queryKey: ['reviews', site],
    queryFn: async () => {
      const { data } = await api.intake.GET('/v1/sites/{siteId}/reviews', {
        params: { path: { siteId: site }, query: { status: 'open', limit: 100 } },
      });
      return data as unknown as Page<Review>;
    },
  });
  const open = reviews.data?.items ?? [];
  const names = useClientNames(open.map((r) => r.clientId));
  const tracks = useTracks(site);
  return (
    <Stack>
      <Title order={1} size="h3">
        Review queue
      </Title>
      <QueryState label="The review queue" isPending={reviews.isPending} error={reviews.error} />
      {reviews.isSuccess && open.length === 0 && (
        <Text c="dimmed">No open recommendations at this site.</Text>
      )}
      {open.map((review) => (
        <ReviewCard
          key={review.id}
          review={review}
          who={clientLabel(names, review.clientId)}
          tracks={tracks}
        />
      ))}
    </Stack>
  );
}

function ReviewCard({ review, who, tracks }: { review: Review; who: string; tracks: Track[] }): ReactNode {
  const api = useApi();
  const session = useSession();
  const queryClient = useQueryClient();
  const atLevel = tracks.filter((t) => t.levelOfCare === review.toLevel && t.active);
  const [trackId, setTrackId] = useState('');
  const [reason, setReason] = useState<DeclineReason | ''>('');
  const settled = async (): Promise<void> => {
    await queryClient.invalidateQueries({ queryKey: ['reviews'] });
  };
  const approve = useMutation({
    mutationFn: async () => {
      await api.intake.POST('/v1/reviews/{reviewId}/approve', {
        params: { path: { reviewId: review.id } },
        body: { programTrackId: trackId },
      });
    },
    onSuccess: settled,
  });
  const decline = useMutation({
    mutationFn: async () => {
      if (reason === '') return;
      await api.intake.POST('/v1/reviews/{reviewId}/decline', {
        params: { path: { reviewId: review.id } },
        body: { reasonCode: reason },
      });
    },
    onSuccess: settled,
  });
  const title = `${humanize(review.direction)}: ${who}`;
  const levelChange = review.direction !== 'length-of-stay';
  return (
    <Paper withBorder p="sm" component="section" aria-label={title}>
      <Stack gap="xs">
        <Group>
          <Text fw={600}>{title}</Text>
          {levelChange && (
            <Badge variant="light">
              Level {review.fromLevel} → {review.toLevel}
            </Badge>
          )}
          <Text size="sm" c="dimmed">
            Recommended {review.recommendedAt.slice(0, 10)} · rules {review.ruleSetVersion}
          </Text>
        </Group>
        <Evidence evidence={review.evidence} />
        {session.can('decide-reviews') && (
          <Group align="end">
            {levelChange && (
              <>
                <NativeSelect
                  label="Track at the new level"
                  value={trackId}
                  data={[
                    { value: '', label: atLevel.length === 0 ? 'No track at this level' : 'Choose…' },
                    ...atLevel.map((t) => ({ value: t.id, label: t.name })),
                  ]}
                  onChange={(e) => setTrackId(e.currentTarget.value)}
                />
                <Button
                  disabled={trackId === ''}
                  loading={approve.isPending}
                  onClick={() => approve.mutate()}
                >
                  Approve
                </Button>
              </>
            )}
            <NativeSelect
              label="Decline reason"
              value={reason}
              data={[
                { value: '', label: 'Choose…' },
                ...DECLINE_REASONS.map((r) => ({ value: r, label: humanize(r) })),
              ]}
              onChange={(e) => setReason(e.currentTarget.value as DeclineReason | '')}
            />
            <Button
              variant="default"
              color="red"
              disabled={reason === ''}
              loading={decline.isPending}
              onClick={() => decline.mutate()}
            >
              Decline
            </Button>
          </Group>
        )}
        {approve.error !== null && <ProblemAlert title="Not approved" error={approve.error} />}
        {decline.error !== null && <ProblemAlert title="Not declined" error={decline.error} />}
      </Stack>
    </Paper>
  );
}

/** The facts behind a recommendation, as the rule engine recorded them (names of facts, numbers, dates). */
function Evidence({ evidence }: { evidence: object }): ReactNode {
  const rows = Object.entries(evidence as Record<string, unknown>);
  if (rows.length === 0) return null;
  return (
    <Stack gap={0} aria-label="Evidence">
      {rows.map(([key, value]) => (
        <Text size="sm" key={key}>
          {humanize(key.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase())}:{' '}
          <Code>{typeof value === 'object' ? JSON.stringify(value) : String(value)}</Code>
        </Text>
      ))}
    </Stack>
  );
}
