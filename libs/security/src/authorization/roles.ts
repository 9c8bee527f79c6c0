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
] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Roles whose site scope is their whole network rather than the sites listed in the token. */
export const NETWORK_WIDE_ROLES: readonly Role[] = ['network-admin', 'service'];
