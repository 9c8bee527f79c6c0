/** The roles a token's `roles` claim may carry (architecture.md, "Who may do what"). */
export const ROLES = [
  'intake-coordinator',
  'counselor',
  'clinical-supervisor',
  'program-director',
  'site-admin',
  'network-admin',
  'billing',
  'auditor',
  'service',
  // An outside system (EHR, payer, care coordinator) reading what a client's consents let it see.
  'integration',
] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * Roles whose site scope is their whole network rather than the sites listed in the token. An integration
 * reaches a client of its network only when one of the client's consents names it (checked per read).
 */
export const NETWORK_WIDE_ROLES: readonly Role[] = ['network-admin', 'service', 'integration'];
