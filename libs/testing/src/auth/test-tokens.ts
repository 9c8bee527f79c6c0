import { randomUUID } from 'node:crypto';
import { generateSigningKey, mintToken, mintUnsignedToken, readSigningKey } from '@stepwise/infra';

/** The claims of a test token; `sub` defaults to a new user per token, so tests never share a rate limit. */
export interface TestClaims {
  readonly sub?: string;
  /** Role names as the identity provider puts them in the token (see libs/security ROLES). */
  readonly roles: readonly string[];
  readonly sites?: readonly string[];
  readonly network?: string;
}

const claims = (spec: TestClaims): { sub: string; roles: string[]; sites: string[]; network?: string } => ({
  sub: spec.sub ?? `test-user-${randomUUID()}`,
  roles: [...spec.roles],
  sites: [...(spec.sites ?? [])],
  ...(spec.network === undefined ? {} : { network: spec.network }),
});

/** Well past any configured clock skew (at most 300 s), so the token is unambiguously out of its window. */
const FAR = 3_600;

/**
 * Tokens for tests, signed by the local identity (`.infra/auth/`) whose JWKS `npm run infra:up` serves —
 * the same issuer, audience and keys the services under test trust — plus every kind of token they must
 * refuse.
 */
export const testTokens = {
  valid: (spec: TestClaims, ttlSeconds = 900): Promise<string> => mintToken({ ...claims(spec), ttlSeconds }),
  expired: (spec: TestClaims): Promise<string> =>
    mintToken({ ...claims(spec), now: Math.floor(Date.now() / 1000) - 2 * FAR, ttlSeconds: FAR }),
  notYetValid: (spec: TestClaims): Promise<string> => mintToken({ ...claims(spec), notBeforeInSeconds: FAR }),
  /** Signed by another key that claims the local key's id, as a forger would. */
  wrongSignature: async (spec: TestClaims): Promise<string> =>
    mintToken({ ...claims(spec), key: await generateSigningKey((await readSigningKey()).kid) }),
  wrongIssuer: (spec: TestClaims): Promise<string> =>
    mintToken({ ...claims(spec), issuer: 'https://impostor.example.org/realms/stepwise' }),
  wrongAudience: (spec: TestClaims): Promise<string> =>
    mintToken({ ...claims(spec), audience: 'another-system' }),
  algNone: (spec: TestClaims): Promise<string> => Promise.resolve(mintUnsignedToken(claims(spec))),
  /** Any claims and timing (`now`, `ttlSeconds`, `notBeforeInSeconds`), e.g. malformed claims or skew. */
  custom: (request: Parameters<typeof mintToken>[0]): Promise<string> => mintToken(request),
};
