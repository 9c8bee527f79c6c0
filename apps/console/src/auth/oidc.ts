import { InMemoryWebStorage, UserManager, WebStorageStateStore } from 'oidc-client-ts';

/** What the console's server tells the browser at /config.json: the identity provider and this app's client. */
export interface ConsoleConfig {
  issuer: string;
  clientId: string;
}

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`The console's settings did not load (${response.status})`);
  const body = (await response.json()) as Partial<ConsoleConfig>;
  if (typeof body.issuer !== 'string' || typeof body.clientId !== 'string') {
    throw new Error("The console's settings name no identity provider");
  }
  return { issuer: body.issuer, clientId: body.clientId };
}

/**
 * Authorization code + PKCE. Tokens and the profile are kept in memory only (a reload signs in again, silently
 * while the provider's session lasts). The one-time sign-in state (PKCE verifier, `state`) must outlive the
 * redirect to the provider, so it sits in sessionStorage until the callback consumes and removes it: it holds no
 * token and nothing about a client.
 */
export function createUserManager(config: ConsoleConfig, origin = window.location.origin): UserManager {
  return new UserManager({
    authority: config.issuer,
    client_id: config.clientId,
    redirect_uri: `${origin}/`,
    post_logout_redirect_uri: `${origin}/`,
    response_type: 'code',
    scope: 'openid',
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage, prefix: 'oidc.' }),
    automaticSilentRenew: true,
    monitorSession: false,
    loadUserInfo: false,
  });
}
