import { Button, Group, NativeSelect, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useApi, useClock } from '../shell/api-context';
import { humanize } from '../today/dates';
import {
  type Assessment,
  assessmentBody,
  type AssessmentForm,
  assessmentProblems,
  DIMENSIONS,
  type Level,
  LEVELS,
  OVERRIDE_REASONS,
  type OverrideReason,
} from './intake-flow';
import { StepProblem, stepErrors } from './step-errors';

const SHOWN = [
  ...DIMENSIONS.map((_, i) => `dimensionRatings.${i}`),
  'dimensionRatings',
  'overrideLevel',
  'overrideReason',
];

/** What the latest assessment supports: the rule set's level, and the clinician's placement when it differs. */
export function AssessmentResult({ assessment }: { assessment: Assessment }): ReactNode {
  return (
    <Text role="status" data-testid="assessment-result">
      The ASAM ratings support level {assessment.computedLevel} ({assessment.ruleSetVersion})
      {assessment.overrideLevel === null
        ? ''
        : `; placed at level ${assessment.overrideLevel} (${humanize(assessment.overrideReason ?? '').toLowerCase()})`}
      .
    </Text>
  );
}

/** The ASAM assessment (POST /v1/clients/{id}/assessments): six ratings, an optional placement with its reason. */
export function AssessmentForm({ clientId }: { clientId: string }): ReactNode {
  const api = useApi();
  const clock = useClock();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<AssessmentForm>({
    ratings: DIMENSIONS.map(() => ''),
    overrideLevel: '',
    overrideReason: '',
  });
  const [local, setLocal] = useState({});
  const assess = useMutation({
    mutationFn: async (): Promise<Assessment | undefined> => {
      const { data } = await api.intake.POST('/v1/clients/{clientId}/assessments', {
        params: { path: { clientId } },
        body: assessmentBody(form, clock().toISOString()),
      });
      return data;
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['intake', 'assessments', clientId] }),
  });
  const errors = stepErrors(local, assess.error, SHOWN);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const problems = assessmentProblems(form);
    setLocal(problems);
    if (Object.keys(problems).length === 0) assess.mutate();
  };
  return (
    <form onSubmit={submit} aria-label="ASAM assessment" noValidate>
      <Stack gap="xs">
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
          {DIMENSIONS.map((name, i) => (
            <NativeSelect
              key={name}
              label={`${i + 1}. ${name}`}
              value={form.ratings[i] ?? ''}
              data={[
                { value: '', label: 'Rate 0–4' },
                ...['0', '1', '2', '3', '4'].map((v) => ({ value: v, label: v })),
              ]}
              onChange={(e) => {
                const ratings = [...form.ratings];
                ratings[i] = e.currentTarget.value;
                setForm({ ...form, ratings });
              }}
              error={errors.fields[`dimensionRatings.${i}`]}
            />
          ))}
        </SimpleGrid>
        <Group align="flex-start">
          <NativeSelect
            label="Placed at another level"
            value={form.overrideLevel}
            data={[
              { value: '', label: 'No: the computed level' },
              ...LEVELS.map((l) => ({ value: l, label: l })),
            ]}
            onChange={(e) => setForm({ ...form, overrideLevel: e.currentTarget.value as Level | '' })}
            error={errors.fields['overrideLevel']}
          />
          <NativeSelect
            label="Reason for the placement"
            value={form.overrideReason}
            data={[
              { value: '', label: '—' },
              ...OVERRIDE_REASONS.map((r) => ({ value: r, label: humanize(r) })),
            ]}
            onChange={(e) =>
              setForm({ ...form, overrideReason: e.currentTarget.value as OverrideReason | '' })
            }
            error={errors.fields['overrideReason']}
          />
        </Group>
        {errors.fields['dimensionRatings'] !== undefined && (
          <Text c="red" size="sm" role="alert">
            {errors.fields['dimensionRatings']}
          </Text>
        )}
        <StepProblem title="The assessment was not recorded" error={errors.general} />
        <Group>
          <Button type="submit" variant="light" loading={assess.isPending}>
            Record assessment
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
