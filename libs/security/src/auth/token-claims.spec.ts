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

  it('makes network-admin, service and integration network-wide, nobody else', () => {
    const of = (roles: string[]): boolean =>
      isNetworkWide(
        principalFromClaims({
          sub: 'u',
          roles,
          ...(roles.includes('integration')
            ? { recipient: { kind: 'payer', id: NETWORK, purposes: ['payment'] } }
            : {}),
        }),
      );
    expect(of(['network-admin'])).toBe(true);
    expect(of(['service'])).toBe(true);
    expect(of(['integration'])).toBe(true);
    expect(of(['site-admin', 'clinical-supervisor'])).toBe(false);
  });
});

describe('integration tokens (outside systems)', () => {
  const RECIPIENT = '6f1d1c1e-1b2a-4c3d-8e4f-0000000000e1';
  const recipient = { kind: 'provider-organization', id: RECIPIENT.toUpperCase(), purposes: ['treatment'] };

  it('read the recipient claim: kind, id and registered purposes', () => {
    expect(
      principalFromClaims({ sub: 'ehr-client', roles: ['integration'], network: NETWORK, recipient }),
    ).toEqual({
      id: 'ehr-client',
      kind: 'user',
      roles: ['integration'],
      sites: [],
      network: NETWORK,
      recipient: { kind: 'provider-organization', id: RECIPIENT, purposes: ['treatment'] },
    });
  });

  it.each([
    ['no recipient', {}],
    ['a family member as recipient', { recipient: { ...recipient, kind: 'family-member' } }],
    ['an id that is not a UUID', { recipient: { ...recipient, id: 'ehr' } }],
    ['no purposes', { recipient: { ...recipient, purposes: [] } }],
    ['an unknown purpose', { recipient: { ...recipient, purposes: ['marketing'] } }],
    ['a recipient that is an array', { recipient: [recipient] }],
    ['a second role', { recipient, extraRole: 'network-admin' }],
  ])('refuse %s', (_what, claims) => {
    const { extraRole, ...rest } = claims as { extraRole?: string };
    const roles = extraRole === undefined ? ['integration'] : ['integration', extraRole];
    expect(() => principalFromClaims({ sub: 'ehr-client', roles, ...rest })).toThrow(InvalidClaimsError);
  });

  it('a recipient claim on a staff or service token refuses the token', () => {
    expect(() => principalFromClaims({ sub: 'u1', roles: ['service'], recipient })).toThrow(
      InvalidClaimsError,
    );
  });
});
