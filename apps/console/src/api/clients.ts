import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { type paths as IntakePaths } from './generated/intake';
import { type paths as NotificationsPaths } from './generated/notifications';
import { type paths as SchedulingPaths } from './generated/scheduling';
import { type paths as SessionsPaths } from './generated/sessions';
import { problemFrom } from './problem';

/** One typed client per service. Each is reached through the console's own origin (`/api/<service>`). */
export interface ApiClients {
  intake: Client<IntakePaths>;
  scheduling: Client<SchedulingPaths>;
  sessions: Client<SessionsPaths>;
  notifications: Client<NotificationsPaths>;
}

/**
 * The clients of a signed-in person: each request carries the access token read at the moment it is sent (it is
 * renewed in memory), writes carry an Idempotency-Key, and an answer that is not 2xx throws an ApiProblem.
 */
export function createApiClients(
  accessToken: () => string | undefined,
  origin = window.location.origin,
  fetchImpl?: typeof fetch,
): ApiClients {
  const auth: Middleware = {
    onRequest({ request }) {
      const token = accessToken();
      if (token !== undefined) request.headers.set('Authorization', `Bearer ${token}`);
      if (request.method === 'POST' && !request.headers.has('Idempotency-Key')) {
        request.headers.set('Idempotency-Key', crypto.randomUUID());
      }
      return request;
    },
    async onResponse({ response }) {
      if (response.ok) return response;
      const body: unknown = await response
        .clone()
        .json()
        .catch(() => undefined);
      throw problemFrom(response.status, body);
    },
  };
  const make = <P extends object>(service: string): Client<P> => {
    const client = createClient<P>({
      baseUrl: `${origin}/api/${service}`,
      ...(fetchImpl ? { fetch: fetchImpl } : {}),
    });
    client.use(auth);
    return client;
  };
  return {
    intake: make<IntakePaths>('intake'),
    scheduling: make<SchedulingPaths>('scheduling'),
    sessions: make<SessionsPaths>('sessions'),
    notifications: make<NotificationsPaths>('notifications'),
  };
}
