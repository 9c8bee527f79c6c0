import { Inject, Injectable } from '@nestjs/common';
import { type JWTVerifyGetKey, createRemoteJWKSet, jwtVerify } from 'jose';
import { ServiceConfig } from '@stepwise/platform';
import { type ProblemCode } from '../problems/problem-catalogue';
import { type Principal } from './principal';
import { InvalidClaimsError, principalFromClaims } from './token-claims';

/**
 * The one signature algorithm accepted. Pinning it (instead of trusting the token's own `alg` header) rules
 * out `alg: none` and algorithm-confusion attacks; RS256 is what OIDC providers sign with by default.
 */
export const ACCEPTED_ALGORITHM = 'RS256';

/** Why a token was refused, as a catalogue code (401, or 503 when the keys cannot be fetched). */
export class TokenRejected extends Error {
  constructor(readonly code: ProblemCode) {
    super(code);
    this.name = 'TokenRejected';
  }
}

/** Injection token for the key source; production fetches the JWKS, unit tests may pass a local set. */
export const TOKEN_KEYS = Symbol('TOKEN_KEYS');

export function remoteKeys(config: ServiceConfig): JWTVerifyGetKey {
  // Keys are cached; an unknown `kid` triggers a refetch at most every 30 s (key rotation without restarts).
  return createRemoteJWKSet(new URL(config.AUTH_JWKS_URL), {
    timeoutDuration: 2_000,
    cooldownDuration: 30_000,
    cacheMaxAge: 10 * 60_000,
  });
}

function claimCode(claim: unknown, reason: unknown): ProblemCode {
  if (reason === 'missing') return 'token-claims-invalid';
  switch (claim) {
    case 'nbf':
      return 'token-not-yet-valid';
    case 'exp':
      return 'token-expired';
    case 'iss':
      return 'token-issuer-invalid';
    case 'aud':
      return 'token-audience-invalid';
    default:
      return 'token-claims-invalid';
  }
}

/** Maps jose's errors to catalogue codes. */
function rejectionCode(error: unknown): ProblemCode {
  if (error instanceof InvalidClaimsError) return 'token-claims-invalid';
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'token-expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return claimCode((error as { claim?: unknown }).claim, (error as { reason?: unknown }).reason);
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return 'token-algorithm-rejected';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return 'token-signature-invalid';
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return 'token-malformed';
    default:
      // JWKS unreachable, timed out or unreadable: not the caller's fault.
      return 'auth-unavailable';
  }
}

/**
 * Verifies bearer tokens as any OIDC resource server does: signature against the issuer's JWKS with the
 * pinned algorithm, then `iss`, `aud`, `exp` (required) and `nbf` with a bounded clock skew.
 */
@Injectable()
export class JwtVerifier {
  constructor(
    private readonly config: ServiceConfig,
    @Inject(TOKEN_KEYS) private readonly keys: JWTVerifyGetKey,
  ) {}

  async verify(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        algorithms: [ACCEPTED_ALGORITHM],
        issuer: this.config.AUTH_ISSUER,
        audience: this.config.AUTH_AUDIENCE,
        clockTolerance: this.config.AUTH_CLOCK_SKEW_SECONDS,
        requiredClaims: ['sub', 'exp'],
      });
      return principalFromClaims(payload);
    } catch (error) {
      throw new TokenRejected(rejectionCode(error));
    }
  }
}
