import { InvalidClaimsError, isNetworkWide, principalFromClaims } from './token-claims';

const SITE = '6f1d1c1e-1b2a-4c3d-8e4f-000000000001';
const NETWORK = '6f1d1c1e-1b2a-4c3d-8e4f-0000000000aa';

describe(principalFromClaims.name, () => {
  it('reads sub, roles, sites and network, dropping roles it does not know', () => {
    expect(
      principalFromClaims({
        sub: 'u1',
        roles: ['counselor', 'wizard'],
        sites: [SITE.toUpperCase()],
        network: NETWORK,
      }),
    ).toEqual({ id: 'u1', kind: 'user', roles: ['counselor'], sites: [SITE], network: NETWORK });
  });

  it('treats a token with the service role as a service principal with no sites', () => {
    expect(principalFromClaims({ sub: 'scheduling', roles: ['service'], network: NETWORK })).toEqual({
      id: 'scheduling',
      kind: 'service',
      roles: ['service'],
      sites: [],
      network: NETWORK,
    });
  });

  it.each([
    ['no sub', { roles: [] }],
    ['an empty sub', { sub: '', roles: [] }],
    ['no roles', { sub: 'u1' }],
    ['roles as a string', { sub: 'u1', roles: 'counselor' }],
    ['sites that are not UUIDs', { sub: 'u1', roles: [], sites: ['site-a'] }],
    ['a network that is not a UUID', { sub: 'u1', roles: [], network: 42 }],
  ])('refuses %s', (_what, payload) => {
    expect(() => principalFromClaims(payload)).toThrow(InvalidClaimsError);
  });

  it('makes network-admin and service network-wide, nobody else', () => {
    const of = (roles: string[]): boolean => isNetworkWide(principalFromClaims({ sub: 'u', roles }));
    expect(of(['network-admin'])).toBe(true);
    expect(of(['service'])).toBe(true);
    expect(of(['site-admin', 'clinical-supervisor'])).toBe(false);
  });
});
