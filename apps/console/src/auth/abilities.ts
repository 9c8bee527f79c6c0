import { type Role } from './claims';

/**
 * What the console offers, and the roles that may do it. This follows the services' policy
 * (libs/security/src/authorization/permissions.ts: the permission named beside each action); the services still
 * decide every request, and a refusal is shown as it comes. An action a role lacks is not offered at all.
 */
export const ABILITIES = {
  /** schedules:read */
  'view-schedule': ['counselor', 'clinical-supervisor', 'program-director', 'site-admin', 'network-admin'],
  /** clients:read: names on rosters, the client chart */
  'read-clients': ['intake-coordinator', 'counselor', 'clinical-supervisor'],
  /** attendance:read */
  'read-attendance': ['counselor', 'clinical-supervisor', 'billing'],
  /** attendance:write */
  'take-attendance': ['counselor', 'clinical-supervisor'],
  /** notes:read */
  'read-notes': ['counselor', 'clinical-supervisor'],
  /** notes:write (draft and sign) */
  'write-notes': ['counselor', 'clinical-supervisor'],
  /** notes:cosign */
  'cosign-notes': ['clinical-supervisor'],
  /** screenings:read and assessments:read (the chart's screenings, assessments) */
  'read-screenings': ['intake-coordinator', 'counselor', 'clinical-supervisor'],
  /** plans:read */
  'read-plans': ['counselor', 'clinical-supervisor'],
  /** consents:read */
  'read-consents': ['intake-coordinator'],
  /** consents:write (grant, revoke) */
  'write-consents': ['intake-coordinator'],
  /**
   * The intake flow: referrals:write, clients:write, screenings:write, assessments:write and admissions:write
   * together (only intake coordinators hold them all; a role missing one could not finish an intake).
   */
  'run-intake': ['intake-coordinator'],
  /** drug-screens:read */
  'read-drug-screens': ['counselor', 'clinical-supervisor'],
  /** alerts:read: open alerts on the census */
  'read-alerts': ['counselor', 'clinical-supervisor'],
  /** reviews:read */
  'read-reviews': ['counselor', 'clinical-supervisor'],
  /** reviews:approve (approve or decline) */
  'decide-reviews': ['clinical-supervisor'],
} as const satisfies Record<string, readonly Role[]>;

export type Ability = keyof typeof ABILITIES;

export function can(roles: readonly Role[], ability: Ability): boolean {
  const allowed: readonly Role[] = ABILITIES[ability];
  return roles.some((role) => allowed.includes(role));
}
