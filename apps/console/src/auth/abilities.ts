import { hasPermission, type Permission, type Role } from '@stepwise/api-model';

/**
 * What the console offers, and the permissions of the services' policy (libs/api-model, the table the services
 * enforce) each needs — all of them where several are listed. The services still decide every request, and a
 * refusal is shown as it comes; an action the signed-in roles lack is not offered at all.
 */
export const ABILITIES = {
  'view-schedule': ['schedules:read'],
  /** Names on rosters, the client chart. */
  'read-clients': ['clients:read'],
  'read-attendance': ['attendance:read'],
  'take-attendance': ['attendance:write'],
  'read-notes': ['notes:read'],
  /** Draft and sign. */
  'write-notes': ['notes:write'],
  'cosign-notes': ['notes:cosign'],
  /** The chart's screenings and assessments. */
  'read-screenings': ['screenings:read', 'assessments:read'],
  'read-plans': ['plans:read'],
  'read-consents': ['consents:read'],
  /** Grant and revoke. */
  'write-consents': ['consents:write'],
  /** The intake flow: every write it makes (intake coordinators hold them all; a role missing one could not finish). */
  'run-intake': [
    'referrals:write',
    'clients:write',
    'screenings:write',
    'assessments:write',
    'admissions:write',
  ],
  'read-drug-screens': ['drug-screens:read'],
  /** Open alerts on the census. */
  'read-alerts': ['alerts:read'],
  'read-reviews': ['reviews:read'],
  /** Approve or decline. */
  'decide-reviews': ['reviews:approve'],
} as const satisfies Record<string, readonly Permission[]>;

export type Ability = keyof typeof ABILITIES;

export function can(roles: readonly Role[], ability: Ability): boolean {
  const needed: readonly Permission[] = ABILITIES[ability];
  return needed.every((permission) => hasPermission(roles, permission));
}
