import { type JWTPayload } from 'jose';
import { NETWORK_WIDE_ROLES, isRole } from '../authorization/roles';
import { type Principal } from './principal';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class InvalidClaimsError extends Error {}

function stringArray(payload: JWTPayload, claim: string, required: boolean): string[] {
  const value = payload[claim];
  if (value === undefined && !required) return [];
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
    throw new InvalidClaimsError(`${claim} must be an array of strings`);
  }
  return value;
}

/**
 * Reads the claims the services rely on from a verified payload: `sub` (required), `roles` (required
 * array), `sites` (UUIDs; absent means none) and `network` (a UUID, optional). A token that has them in
 * another shape is refused rather than guessed at.
 */
export function principalFromClaims(payload: JWTPayload): Principal {
  const sub = payload.sub;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 255) {
    throw new InvalidClaimsError('sub must be a non-empty string');
  }
  const roles = stringArray(payload, 'roles', true).filter(isRole);
  const sites = stringArray(payload, 'sites', false);
  if (!sites.every((site) => UUID.test(site))) throw new InvalidClaimsError('sites must be UUIDs');
  const network = payload['network'];
  if (network !== undefined && (typeof network !== 'string' || !UUID.test(network))) {
    throw new InvalidClaimsError('network must be a UUID');
  }
  return {
    id: sub,
    kind: roles.includes('service') ? 'service' : 'user',
    roles: [...new Set(roles)],
    sites: [...new Set(sites.map((site) => site.toLowerCase()))],
    network: typeof network === 'string' ? network.toLowerCase() : undefined,
  };
}

export function isNetworkWide(principal: Principal): boolean {
  return principal.roles.some((role) => NETWORK_WIDE_ROLES.includes(role));
}
