import { createContext, type ReactNode, useContext, useMemo } from 'react';
import { type ApiClients, createApiClients } from '../api/clients';
import { useSession } from '../auth/session';

const ApiContext = createContext<ApiClients | undefined>(undefined);

/** The typed service clients, carrying the signed-in person's token. */
export function ApiProvider({ children, clients }: { children: ReactNode; clients?: ApiClients }): ReactNode {
  const { accessToken } = useSession();
  const value = useMemo(() => clients ?? createApiClients(accessToken), [clients, accessToken]);
  return <ApiContext.Provider value={value}>{children}</ApiContext.Provider>;
}

export function useApi(): ApiClients {
  const api = useContext(ApiContext);
  if (api === undefined) throw new Error('useApi outside <ApiProvider>');
  return api;
}

/** The console's "now" (tests pass a fixed one). */
const ClockContext = createContext<() => Date>(() => new Date());
export const ClockProvider = ClockContext.Provider;
export const useClock = (): (() => Date) => useContext(ClockContext);
