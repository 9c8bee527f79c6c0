import { useQueries } from '@tanstack/react-query';
import { useApi } from '../shell/api-context';
import { useSession } from '../auth/session';

/**
 * Client names for display, read from intake (each read is audited there) and kept only in the query cache in
 * memory. A role that may not read clients gets no names: callers show the client id instead.
 */
export function useClientNames(clientIds: readonly string[]): Map<string, string> {
  const api = useApi();
  const session = useSession();
  const allowed = session.can('read-clients');
  const results = useQueries({
    queries: clientIds.map((clientId) => ({
      queryKey: ['client', clientId],
      enabled: allowed,
      staleTime: 5 * 60_000,
      queryFn: async () => {
        const { data } = await api.intake.GET('/v1/clients/{clientId}', { params: { path: { clientId } } });
        return data;
      },
    })),
  });
  const names = new Map<string, string>();
  results.forEach((result, i) => {
    const id = clientIds[i];
    if (id !== undefined && result.data !== undefined) {
      names.set(id, `${result.data.familyName}, ${result.data.givenName}`);
    }
  });
  return names;
}

/** A client as a person reads them: the name when known, else the start of the id. */
export const clientLabel = (names: Map<string, string>, clientId: string): string =>
  names.get(clientId) ?? `Client ${clientId.slice(0, 8)}`;
