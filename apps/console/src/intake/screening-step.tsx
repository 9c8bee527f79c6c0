import { Badge, Button, Group, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useApi, useClock } from '../shell/api-context';
import { humanize } from '../today/dates';
import {
  type Instrument,
  INSTRUMENT_ITEMS,
  INSTRUMENTS,
  type Screening,
  screeningAnswers,
  screeningProblems,
} from './intake-flow';
import { StepProblem, stepErrors } from './step-errors';

const instrumentLabel = (instrument: string): string => instrument.toUpperCase();

/** The client's screenings so far: score, band and any urgent flag, as the service scored them. */
export function ScreeningResults({ screenings }: { screenings: readonly Screening[] }): ReactNode {
  if (screenings.length === 0) return <Text c="dimmed">No screenings yet.</Text>;
  return (
    <Table aria-label="Screenings">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Instrument</Table.Th>
          <Table.Th>Total</Table.Th>
          <Table.Th>Band</Table.Th>
          <Table.Th>Urgent</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {screenings.map((s) => (
          <Table.Tr key={s.id} data-testid={`screening-${s.instrument}`}>
            <Table.Td>{instrumentLabel(s.instrument)}</Table.Td>
            <Table.Td>{s.totalScore}</Table.Td>
            <Table.Td>{humanize(s.band)}</Table.Td>
            <Table.Td>
              {s.urgentFlags.length === 0
                ? 'None'
                : s.urgentFlags.map((f) => (
                    <Badge key={f} color="red" mr={4}>
                      {humanize(f)}
                    </Badge>
                  ))}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/**
 * Submits one screening (POST /v1/clients/{id}/screenings): an answer per item, scored and banded by intake. An
 * item the service refuses (`answers.N`) is marked beside that item.
 */
export function ScreeningForm({ clientId }: { clientId: string }): ReactNode {
  const api = useApi();
  const clock = useClock();
  const queryClient = useQueryClient();
  const [instrument, setInstrument] = useState<Instrument>('phq-9');
  const [answers, setAnswers] = useState<string[]>([]);
  const [local, setLocal] = useState({});
  const submitScreening = useMutation({
    mutationFn: async (): Promise<Screening | undefined> => {
      const { data } = await api.intake.POST('/v1/clients/{clientId}/screenings', {
        params: { path: { clientId } },
        body: {
          instrument,
          answers: screeningAnswers(instrument, answers),
          completedAt: clock().toISOString(),
        },
      });
      return data;
    },
    onSuccess: async () => {
      setAnswers([]);
      await queryClient.invalidateQueries({ queryKey: ['intake', 'screenings', clientId] });
    },
  });
  const items = INSTRUMENT_ITEMS[instrument];
  const shown = ['answers', ...Array.from({ length: items }, (_, i) => `answers.${i}`)];
  const errors = stepErrors(local, submitScreening.error, shown);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const problems = screeningProblems(instrument, answers);
    setLocal(problems);
    if (Object.keys(problems).length === 0) submitScreening.mutate();
  };
  const result = submitScreening.data;
  return (
    <form onSubmit={submit} aria-label="Submit a screening" noValidate>
      <Stack gap="xs">
        <NativeSelect
          label="Instrument"
          value={instrument}
          w={200}
          data={INSTRUMENTS.map((i) => ({ value: i, label: instrumentLabel(i) }))}
          onChange={(e) => {
            setInstrument(e.currentTarget.value as Instrument);
            setAnswers([]);
            setLocal({});
            submitScreening.reset();
          }}
        />
        <SimpleGrid cols={{ base: 3, sm: 6 }} spacing="xs">
          {Array.from({ length: items }, (_, i) => (
            <TextInput
              key={`${instrument}-${i}`}
              label={`Item ${i + 1}`}
              inputMode="numeric"
              value={answers[i] ?? ''}
              onChange={(e) => {
                const next = [...answers];
                next[i] = e.currentTarget.value;
                setAnswers(next);
              }}
              error={errors.fields[`answers.${i}`]}
              autoComplete="off"
            />
          ))}
        </SimpleGrid>
        {errors.fields['answers'] !== undefined && (
          <Text c="red" size="sm" role="alert">
            {errors.fields['answers']}
          </Text>
        )}
        <StepProblem title="The screening was not scored" error={errors.general} />
        {result !== undefined && (
          <Text role="status">
            {instrumentLabel(result.instrument)} scored {result.totalScore}:{' '}
            {humanize(result.band).toLowerCase()}
            {result.urgentFlags.length > 0 &&
              ` — urgent: ${result.urgentFlags.map((f) => humanize(f).toLowerCase()).join(', ')}`}
          </Text>
        )}
        <Group>
          <Button type="submit" variant="light" loading={submitScreening.isPending}>
            Submit screening
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
