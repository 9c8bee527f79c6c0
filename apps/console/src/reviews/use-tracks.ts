import { useQuery } from '@tanstack/react-query';
import { useApi } from '../shell/api-context';

export interface Track {
  id: string;
  name: string;
  levelOfCare: string;
  active: boolean;
}

/** The site's program tracks (the choices when approving a level change). */
export function useTracks(site: string): Track[] {
  const api = useApi();
  const tracks = useQuery({
    queryKey: ['tracks', site],
    queryFn: async (): Promise<Track[]> => {
      // TODO(console-api merge): GET /v1/sites/{siteId}/tracks
      void api;
      return [];
    },
  });
  return tracks.data ?? [];
}
