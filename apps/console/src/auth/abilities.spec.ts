import { ROLE_PERMISSIONS } from '@stepwise/api-model';
import { describe, expect, it } from 'vitest';
import { ABILITIES, can, type Ability } from './abilities';
import { claimsOf } from './claims';

const token = (payload: object): string =>
  `e30.${btoa(JSON.stringify(payload)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}.sig`;

describe('what the console offers', () => {
  it.each<[Ability, string[]]>([
    ['take-attendance', ['counselor', 'clinical-supervisor']],
    ['cosign-notes', ['clinical-supervisor']],
    ['read-attendance', ['counselor', 'clinical-supervisor', 'billing']],
    ['read-screenings', ['intake-coordinator', 'counselor', 'clinical-supervisor']],
    ['write-consents', ['intake-coordinator']],
    [
      'view-schedule',
      ['counselor', 'clinical-supervisor', 'program-director', 'site-admin', 'network-admin'],
    ],
    ['decide-reviews', ['clinical-supervisor']],
    ['run-intake', ['intake-coordinator']],
  ])('offers %s to exactly the roles the services grant it: %j', (ability, roles) => {
    const allowed = Object.keys(ROLE_PERMISSIONS).filter((role) =>
      can([role as keyof typeof ROLE_PERMISSIONS], ability),
    );
    expect(allowed.sort()).toEqual([...roles].sort());
  });

  it('follows the services’ table: an ability is offered only where every permission it needs is granted', () => {
    for (const [ability, needed] of Object.entries(ABILITIES)) {
      for (const [role, granted] of Object.entries(ROLE_PERMISSIONS)) {
        expect(can([role as keyof typeof ROLE_PERMISSIONS], ability as Ability)).toBe(
          needed.every((permission) => granted.includes(permission)),
        );
      }
    }
    expect(can([], 'read-clients')).toBe(false);
    expect(can(['billing', 'counselor'], 'read-notes')).toBe(true);
  });

  it('keeps only the roles the services know from a token', () => {
    const claims = claimsOf(
      token({ sub: 'staff-1', roles: ['counselor', 'root', 'counselor', 7], sites: ['SITE-A'] }),
    );
    expect(claims?.roles).toEqual(['counselor']);
    expect(claims?.sites).toEqual(['site-a']);
    expect(claimsOf(token({ roles: ['counselor'] }))).toBeUndefined();
  });
});
