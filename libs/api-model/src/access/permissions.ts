import { type Role } from './roles';

/**
 * What a route may require. `<resource>:<verb>`; `write` covers create and change. Service issues add the
 * permissions their routes need here and grant them below, so the whole policy stays readable in one file.
 */
export const PERMISSIONS = [
  'referrals:read',
  'referrals:write',
  'clients:read',
  'clients:write',
  'screenings:read',
  'screenings:write',
  'assessments:read',
  'assessments:write',
  'admissions:write',
  'consents:read',
  'consents:write',
  'plans:read',
  'plans:write',
  'attendance:read',
  'attendance:write',
  'notes:read',
  'notes:write',
  'notes:cosign',
  'drug-screens:read',
  'drug-screens:write',
  'medications:read',
  'medications:write',
  'reviews:read',
  'reviews:write',
  'reviews:approve',
  'discharges:write',
  'diagnoses:write',
  'billable-days:read',
  'sites:read',
  'sites:write',
  'tracks:read',
  'tracks:write',
  'groups:read',
  'groups:write',
  'staff:read',
  'staff:write',
  'schedules:read',
  'schedules:write',
  'audit:read',
  'disclosures:read',
  'internal:call',
  'rule-sets:write',
  'care-rules:read',
  'care-rules:write',
  'level-changes:write',
  'notification-preferences:read',
  'notification-preferences:write',
  'alerts:acknowledge',
  'alerts:read',
  'webhooks:read',
  'webhooks:write',
  'emergency-access:use',
  'fhir:read',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

const COUNSELOR: readonly Permission[] = [
  'clients:read',
  'plans:read',
  'plans:write',
  'attendance:read',
  'attendance:write',
  'notes:read',
  'notes:write',
  'drug-screens:read',
  'drug-screens:write',
  'medications:read',
  'screenings:read',
  'assessments:read',
  'reviews:read',
  'reviews:write',
  // Diagnoses are the treating clinicians' (ICD-10-CM on the episode, what claims point to).
  'diagnoses:write',
  'schedules:read',
  'groups:read',
  // The tracks of their sites, to read the census and the schedule (reference data, no client's data).
  'tracks:read',
  'notification-preferences:read',
  'notification-preferences:write',
  'alerts:acknowledge',
  'alerts:read',
  // Break-glass: clinicians only, audited and alerted (emergency access to a client outside their sites).
  'emergency-access:use',
];

const PROGRAM_ADMIN: readonly Permission[] = [
  'care-rules:read',
  'sites:read',
  'sites:write',
  'tracks:read',
  'tracks:write',
  'groups:read',
  'groups:write',
  'staff:read',
  'staff:write',
  'schedules:read',
  'schedules:write',
];

/**
 * Who may do what (architecture.md, "Who may do what") — the one place the policy lives. A role's site
 * scope is separate: every role acts only for the sites in its token, except the network-wide roles
 * (network-admin, service), which act for any site of their network.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  'intake-coordinator': [
    'referrals:read',
    'referrals:write',
    'clients:read',
    'clients:write',
    'screenings:read',
    'screenings:write',
    'assessments:read',
    'assessments:write',
    'admissions:write',
    // The tracks a client may be admitted to.
    'tracks:read',
    'consents:read',
    'consents:write',
    'notification-preferences:read',
    'notification-preferences:write',
  ],
  counselor: COUNSELOR,
  // A level change or site transfer on a clinician's own judgement is decided as a review is approved.
  // The medication list is kept by clinical supervisors (the program's prescribing side); counselors read it.
  'clinical-supervisor': [
    ...COUNSELOR,
    'notes:cosign',
    'reviews:approve',
    'discharges:write',
    'level-changes:write',
    'medications:write',
  ],
  // Clinical rule sets (e.g. a provider's licensed ASAM rules) are loaded by program directors.
  'program-director': [...PROGRAM_ADMIN, 'rule-sets:write'],
  'site-admin': PROGRAM_ADMIN,
  // Program shape and progress rule sets hold for the whole network: its administrators load them.
  'network-admin': [...PROGRAM_ADMIN, 'webhooks:read', 'webhooks:write', 'care-rules:write'],
  billing: ['attendance:read', 'billable-days:read'],
  auditor: ['audit:read', 'disclosures:read'],
  service: ['internal:call'],
  // Outside systems: the consent-checked FHIR view only (each read also needs a consent naming the caller).
  integration: ['fhir:read'],
};

export function permissionsOf(roles: readonly Role[]): ReadonlySet<Permission> {
  return new Set(roles.flatMap((role) => ROLE_PERMISSIONS[role]));
}

export function hasPermission(roles: readonly Role[], permission: Permission): boolean {
  return roles.some((role) => ROLE_PERMISSIONS[role].includes(permission));
}
