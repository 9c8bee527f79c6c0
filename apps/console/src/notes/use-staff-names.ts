import { useQuery } from '@tanstack/react-query';
import { useSession } from '../auth/session';
import { useApi } from '../shell/api-context';

/**
 * Staff display names of a site (scheduling's directory: names and roles, no contacts), for saying who signed or
 * amended a note. Roles that may not read the schedule get no names: callers fall back to a short id.
 */
export function useStaffNames(siteId: string | undefined): (staffId: string) => string {
  const api = useApi();
  const session = useSession();
  const directory = useQuery({
    queryKey: ['staff', siteId],
    enabled: siteId !== undefined && session.can('view-schedule'),
    staleTime: 5 * 60_000,
    queryFn: async () => {
      const { data } = await api.scheduling.GET('/v1/sites/{siteId}/staff', {
        params: { path: { siteId: siteId ?? '' }, query: { limit: 100 } },
      });
      return data?.items ?? [];
    },
  });
  return (staffId: string): string => {
    const id = staffId.toLowerCase();
    const name = directory.data?.find((s) => s.id.toLowerCase() === id)?.displayName;
    const me = session.claims.subject.toLowerCase() === id;
    if (name !== undefined) return me ? `${name} (you)` : name;
    return me ? 'you' : `Staff ${id.slice(0, 8)}`;
  };
}
