import { Button, Group, Paper, Table, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { type components } from '../api/generated/intake';
import { useApi } from '../shell/api-context';
import { ProblemAlert } from '../shell/status';
import { searchCriterion } from './census-rows';

export type ClientSummary = components['schemas']['ClientSummaryView'];

/**
 * Search the site's clients by name or id. The text typed is sent in the POST body only: it is never put into the
 * address (path or query string) nor into browser storage, and the answer lives in this component's state.
 */
export function ClientSearch({
  site,
  nameCell,
  label = 'Find a client',
}: {
  site: string;
  /** What the name cell of a result offers (a link to the chart, a button to resume an intake). */
  nameCell: (client: ClientSummary) => ReactNode;
  label?: string;
}): ReactNode {
  const api = useApi();
  const [text, setText] = useState('');
  const [hint, setHint] = useState<string | undefined>();
  const search = useMutation({
    mutationFn: async (criterion: { clientId: string } | { name: string }): Promise<ClientSummary[]> => {
      const { data } = await api.intake.POST('/v1/clients/search', {
        body: { siteId: site, limit: 25, ...criterion },
      });
      return data?.items ?? [];
    },
  });
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const criterion = searchCriterion(text);
    if (criterion === undefined) {
      setHint('Type at least 2 letters of a name, or a whole client id.');
      return;
    }
    setHint(undefined);
    search.mutate(criterion);
  };
  return (
    <Paper withBorder p="sm">
      <form onSubmit={submit} role="search" aria-label={label}>
        <Group align="flex-end">
          <TextInput
            label="Name or client id"
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            autoComplete="off"
            error={hint}
          />
          <Button type="submit" loading={search.isPending}>
            Search
          </Button>
          {(search.data !== undefined || search.isError) && (
            <Button
              variant="default"
              onClick={() => {
                setText('');
                search.reset();
              }}
            >
              Clear
            </Button>
          )}
        </Group>
      </form>
      {search.isError && <ProblemAlert title="The search did not complete" error={search.error} />}
      {search.data !== undefined && search.data.length === 0 && (
        <Text mt="xs" c="dimmed">
          No client at this site matches.
        </Text>
      )}
      {search.data !== undefined && search.data.length > 0 && (
        <Table mt="xs" aria-label="Search results">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Client</Table.Th>
              <Table.Th>Born</Table.Th>
              <Table.Th>Id</Table.Th>
              <Table.Th>In program</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {search.data.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>{nameCell(c)}</Table.Td>
                <Table.Td>{c.dateOfBirth}</Table.Td>
                <Table.Td>{c.id.slice(0, 8)}</Table.Td>
                <Table.Td>{c.activeEpisodeId === null ? 'No' : 'Yes'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
