import { isRole, type Role } from '@stepwise/api-model';

// The roles are the services' own list (libs/api-model); other values in a token are ignored.
export type { Role } from '@stepwise/api-model';

/** Who is signed in, as the services will see it: the access token's `sub`, `roles`, `sites` and `network`. */
export interface StaffClaims {
  subject: string;
  name: string | undefined;
  roles: Role[];
  sites: string[];
  network: string | undefined;
}

/**
 * Reads the claims from an access token's payload. Not a verification: the services verify every token; the
 * console only decides what to offer. A token without a subject yields undefined.
 */
export function claimsOf(accessToken: string): StaffClaims | undefined {
  const payload = decodePayload(accessToken);
  if (payload === undefined || typeof payload['sub'] !== 'string') return undefined;
  const strings = (value: unknown): string[] =>
    Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  const name = payload['preferred_username'] ?? payload['name'];
  return {
    subject: payload['sub'],
    name: typeof name === 'string' ? name : undefined,
    roles: [...new Set(strings(payload['roles']).filter(isRole))],
    sites: [...new Set(strings(payload['sites']).map((s) => s.toLowerCase()))],
    network: typeof payload['network'] === 'string' ? payload['network'].toLowerCase() : undefined,
  };
}

function decodePayload(token: string): Record<string, unknown> | undefined {
  const part = token.split('.')[1];
  if (part === undefined) return undefined;
  try {
    const base64 = part
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(part.length / 4) * 4, '=');
    const json = new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
