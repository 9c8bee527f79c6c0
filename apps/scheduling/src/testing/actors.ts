import { type Actor } from '@stepwise/security';

/** The network of every site and caller in the unit tests. */
export const NETWORK = '0e7e0000-0000-4000-8000-000000000001';

/** A caller acting for the given sites (a site admin and program director, as the API's staff are). */
export function actorAt(...sites: string[]): Actor {
  return {
    principal: {
      id: 'user-1',
      kind: 'user',
      roles: ['site-admin', 'program-director'],
      sites,
      network: NETWORK,
    },
    requestId: 'req-1',
    sourceAddress: undefined,
  };
}
