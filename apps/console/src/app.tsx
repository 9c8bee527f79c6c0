import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type UserManager } from 'oidc-client-ts';
import { type ReactNode, useState } from 'react';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { ApiProblem } from './api/problem';
import { SignedIn, useSession } from './auth/session';
import { SessionPage } from './attendance/session-page';
import { CensusPage } from './census/census-page';
import { ClientChartPage } from './chart/client-chart-page';
import { IntakePage } from './intake/intake-page';
import { ReviewQueuePage } from './reviews/review-queue-page';
import { ApiProvider } from './shell/api-context';
import { Layout } from './shell/layout';
import { TodayPage } from './today/today-page';

/** Queries keep client data in memory only, and a refusal is not retried (it will not change by itself). */
export function newQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (count, error) => !(error instanceof ApiProblem && error.status < 500) && count < 2,
        refetchOnWindowFocus: false,
        gcTime: 5 * 60_000,
      },
    },
  });
}

function Home(): ReactNode {
  const session = useSession();
  const target = session.can('view-schedule')
    ? '/today'
    : session.can('read-reviews')
      ? '/reviews'
      : session.can('read-clients')
        ? '/census'
        : undefined;
  return target === undefined ? (
    <p role="alert">Your role has no screen in this console yet.</p>
  ) : (
    <Navigate to={target} replace />
  );
}

const router = () =>
  createBrowserRouter([
    {
      element: <Layout />,
      children: [
        { path: '/', element: <Home /> },
        { path: '/today', element: <TodayPage /> },
        { path: '/sessions/:occurrenceId', element: <SessionPage /> },
        { path: '/reviews', element: <ReviewQueuePage /> },
        { path: '/census', element: <CensusPage /> },
        { path: '/clients/:clientId', element: <ClientChartPage /> },
        { path: '/intake', element: <IntakePage /> },
        { path: '*', element: <Navigate to="/" replace /> },
      ],
    },
  ]);

/** Created once signed in: the router reads the address the sign-in returned to, not the provider's answer. */
function Screens(): ReactNode {
  const [routes] = useState(router);
  return <RouterProvider router={routes} />;
}

export function App({
  manager,
  styleNonce,
}: {
  manager: UserManager;
  styleNonce: string | undefined;
}): ReactNode {
  const [queryClient] = useState(newQueryClient);
  return (
    <MantineProvider getStyleNonce={styleNonce === undefined ? undefined : () => styleNonce}>
      <SignedIn manager={manager}>
        <QueryClientProvider client={queryClient}>
          <ApiProvider>
            <Screens />
          </ApiProvider>
        </QueryClientProvider>
      </SignedIn>
    </MantineProvider>
  );
}
