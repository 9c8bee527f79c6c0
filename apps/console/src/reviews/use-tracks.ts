import { useQuery } from '@tanstack/react-query';
import { type components } from '../api/generated/scheduling';
import { useApi } from '../shell/api-context';

export type Track = components['schemas']['TrackItem'];

/** The site's active program tracks (the choices when approving a level change). */
export function useTracks(site: string): Track[] {
  const api = useApi();
  const tracks = useQuery({
    queryKey: ['tracks', site],
    staleTime: 5 * 60_000,
    queryFn: async (): Promise<Track[]> => {
      const { data } = await api.scheduling.GET('/v1/sites/{siteId}/tracks', {
        params: { path: { siteId: site }, query: { active: 'true', limit: 100 } },
      });
      return data?.items ?? [];
    },
  });
  return tracks.data ?? [];
}
