import { type JWTPayload } from 'jose';
import { NETWORK_WIDE_ROLES, isRole } from '@stepwise/api-model';
import { ConsentPurpose, RecipientKind } from '@stepwise/contracts';
import { type OutsideRecipient, type Principal } from './principal';

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

const RECIPIENT_KINDS: readonly string[] = Object.values(RecipientKind).filter(
  (kind) => kind !== RecipientKind.FamilyMember,
);
const PURPOSES: readonly string[] = Object.values(ConsentPurpose);

/**
 * The `recipient` claim of an integration token: `{ kind, id, purposes }` — the organisation as consents name
 * it and the purposes it was registered for (the identity provider's client registration holds them).
 * Only integrations carry it; a malformed one refuses the token.
 */
function recipientOf(payload: JWTPayload, integration: boolean): OutsideRecipient | undefined {
  const claim = payload['recipient'];
  if (claim === undefined && !integration) return undefined;
  if (!integration) throw new InvalidClaimsError('recipient is only for integration tokens');
  if (typeof claim !== 'object' || claim === null || Array.isArray(claim))
    throw new InvalidClaimsError('an integration token needs a recipient object');
  const { kind, id, purposes } = claim as Record<string, unknown>;
  if (typeof kind !== 'string' || !RECIPIENT_KINDS.includes(kind))
    throw new InvalidClaimsError('recipient.kind must be an organisation kind');
  if (typeof id !== 'string' || !UUID.test(id)) throw new InvalidClaimsError('recipient.id must be a UUID');
  if (
    !Array.isArray(purposes) ||
    purposes.length === 0 ||
    !purposes.every((p): p is string => typeof p === 'string' && PURPOSES.includes(p))
  )
    throw new InvalidClaimsError('recipient.purposes must be consent purposes');
  return {
    kind: kind as RecipientKind,
    id: id.toLowerCase(),
    purposes: [...new Set(purposes)] as ConsentPurpose[],
  };
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
  // An outside system acts only as itself: an integration token carries no other role.
  const integration = roles.includes('integration');
  if (integration && roles.length > 1) throw new InvalidClaimsError('an integration token has no other role');
  const recipient = recipientOf(payload, integration);
  return {
    id: sub,
    kind: roles.includes('service') ? 'service' : 'user',
    roles: [...new Set(roles)],
    sites: [...new Set(sites.map((site) => site.toLowerCase()))],
    network: typeof network === 'string' ? network.toLowerCase() : undefined,
    ...(recipient === undefined ? {} : { recipient }),
  };
}

export function isNetworkWide(principal: Principal): boolean {
  return principal.roles.some((role) => NETWORK_WIDE_ROLES.includes(role));
}
