import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import { type ReactNode } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { newQueryClient } from '../app';
import { createApiClients } from '../api/clients';
import { can } from '../auth/abilities';
import { type Role } from '../auth/claims';
import { SessionProvider } from '../auth/session';
import { ApiProvider, ClockProvider } from '../shell/api-context';

export const SITE = '5a0c3f2e-7a51-4c55-9d0e-1f2a3b4c5d6e';

/** A request the fake services received: "METHOD /service/path", the whole URL, the JSON body. */
export interface Sent {
  key: string;
  url: string;
  body: unknown;
}

/** An answer other than 2xx for a fake route: a problem+json document with this status. */
export class Refusal {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
  ) {}
}

/** An answer other than 200 (a problem+json refusal, a 201): `{ [key]: reply(422, problem) }`. */
export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}
export const reply = (status: number, body: unknown): Reply => new Reply(status, body);

/**
 * A fake service: answers by "METHOD /service/path" (query ignored) with the value, a `Refusal`, a `reply`, or what
 * a function of the request returns; records what was sent.
 */
export function fakeApi(routes: Record<string, unknown>): {
  fetch: typeof fetch;
  sent: Sent[];
} {
  const sent: Sent[] = [];
  const fetchImpl = async (input: RequestInfo | URL): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input);
    const url = new URL(request.url);
    const key = `${request.method} ${url.pathname.replace(/^\/api/, '')}`;
    const text = await request.text();
    sent.push({ key, url: request.url, body: text === '' ? undefined : (JSON.parse(text) as unknown) });
    if (!(key in routes)) {
      return new Response(
        JSON.stringify({ status: 404, code: 'not-found', title: 'Not found', requestId: 'r1' }),
        {
          status: 404,
          headers: { 'Content-Type': 'application/problem+json' },
        },
      );
    }
    const route = routes[key];
    // A function answers each request itself (a service whose state changes, a filter in the query).
    const answer: unknown =
      typeof route === 'function' ? (route as (sent: Sent) => unknown)(sent[sent.length - 1] as Sent) : route;
    if (answer instanceof Refusal) {
      const { status, code, detail } = answer;
      return new Response(JSON.stringify({ status, code, title: code, detail, requestId: 'r1' }), {
        status,
        headers: { 'Content-Type': 'application/problem+json' },
      });
    }
    if (answer instanceof Reply) {
      return new Response(JSON.stringify(answer.body), {
        status: answer.status,
        headers: { 'Content-Type': answer.status >= 400 ? 'application/problem+json' : 'application/json' },
      });
    }
    return new Response(JSON.stringify(answer), {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
    });
  };
  return { fetch: fetchImpl as typeof fetch, sent };
}

/** Renders one screen at `path` for a person with these roles at SITE, on a fixed day (as `subject`). */
export function renderScreen(
  element: ReactNode,
  {
    path,
    route,
    roles,
    routes,
    subject = 'staff-1',
  }: { path: string; route: string; roles: Role[]; routes: Record<string, unknown>; subject?: string },
): RenderResult & { sent: Sent[]; address: () => string } {
  const api = fakeApi(routes);
  const clients = createApiClients(() => 'token', 'http://console.test', api.fetch);
  const session = {
    claims: { subject, name: 'tester', roles, sites: [SITE], network: undefined },
    accessToken: () => 'token',
    can: (ability: Parameters<typeof can>[1]) => can(roles, ability),
    signOut: () => undefined,
  };
  const router = createMemoryRouter([{ path: route, element }], { initialEntries: [path] });
  const result = render(
    <MantineProvider>
      <SessionProvider value={session}>
        <QueryClientProvider client={newQueryClient()}>
          <ClockProvider value={() => new Date('2027-03-10T15:00:00Z')}>
            <ApiProvider clients={clients}>
              <RouterProvider router={router} />
            </ApiProvider>
          </ClockProvider>
        </QueryClientProvider>
      </SessionProvider>
    </MantineProvider>,
  );
  const address = (): string => `${router.state.location.pathname}${router.state.location.search}`;
  return Object.assign(result, { sent: api.sent, address });
}
