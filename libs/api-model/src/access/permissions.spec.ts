import { PERMISSIONS, ROLE_PERMISSIONS, hasPermission, permissionsOf } from './permissions';
import { ROLES, type Role } from './roles';

describe('role → permission map', () => {
  it('grants every role something and only known permissions', () => {
    for (const role of ROLES) {
      expect(ROLE_PERMISSIONS[role].length).toBeGreaterThan(0);
      for (const permission of ROLE_PERMISSIONS[role]) expect(PERMISSIONS).toContain(permission);
    }
  });

  it('lets a clinical supervisor do all a counselor does, plus co-sign, approve reviews, change levels, discharge and keep medications', () => {
    const counselor = permissionsOf(['counselor']);
    const supervisor = permissionsOf(['clinical-supervisor']);
    for (const permission of counselor) expect(supervisor.has(permission)).toBe(true);
    expect([...supervisor].filter((p) => !counselor.has(p)).sort()).toEqual([
      'discharges:write',
      'level-changes:write',
      'medications:write',
      'notes:cosign',
      'reviews:approve',
    ]);
  });

  it('keeps notes away from billing and writes away from auditors', () => {
    expect([...permissionsOf(['billing'])].some((p) => p.startsWith('notes:'))).toBe(false);
    expect([...permissionsOf(['billing'])].sort()).toEqual(['attendance:read', 'billable-days:read']);
    expect([...permissionsOf(['auditor'])].every((p) => p.endsWith(':read'))).toBe(true);
  });

  it.each<[Role, string, boolean]>([
    ['intake-coordinator', 'referrals:write', true],
    ['intake-coordinator', 'notes:read', false],
    ['counselor', 'clients:read', true],
    ['counselor', 'clients:write', false],
    ['counselor', 'notes:cosign', false],
    ['site-admin', 'groups:write', true],
    ['site-admin', 'clients:read', false],
    ['network-admin', 'staff:write', true],
    ['network-admin', 'care-rules:write', true],
    ['site-admin', 'care-rules:write', false],
    ['auditor', 'audit:read', true],
    ['service', 'internal:call', true],
    ['service', 'clients:read', false],
  ])('%s has %s: %s', (role, permission, expected) => {
    expect(hasPermission([role], permission as (typeof PERMISSIONS)[number])).toBe(expected);
  });

  it('grants nothing without roles, and the union of several roles', () => {
    expect(hasPermission([], 'clients:read')).toBe(false);
    expect(hasPermission(['billing', 'auditor'], 'audit:read')).toBe(true);
  });
});
