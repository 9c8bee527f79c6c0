import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import {
  type JWK,
  type KeyLike,
  SignJWT,
  UnsecuredJWT,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
} from 'jose';
import { infraDir } from './workspace';

/**
 * The development and test identity provider: one RSA key pair generated once into `.infra/auth/`
 * (git-ignored), its public half served as a JWKS by `npm run infra:up`, and tokens minted with the private
 * half by `npm run token` and by tests. Services verify these tokens exactly as they verify a production
 * OIDC provider's: through AUTH_JWKS_URL.
 */

/** The one signature algorithm services accept (see libs/security); the local key is made for it. */
export const TOKEN_ALGORITHM = 'RS256';

export const DEFAULT_JWKS_PORT = 9400;

export interface LocalIdentity {
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUrl: string;
  readonly port: number;
}

const portFile = (): string => authDir('jwks-port');

/**
 * The port this checkout's JWKS is served on: 9400, unless another checkout on the same machine already served
 * its own keys there when this one first started (then the next free port, recorded in .infra/auth/).
 */
export function localJwksPort(): number {
  try {
    const port = Number(readFileSync(portFile(), 'utf8').trim());
    return Number.isInteger(port) && port > 0 ? port : DEFAULT_JWKS_PORT;
  } catch {
    return DEFAULT_JWKS_PORT;
  }
}

export function recordJwksPort(port: number): void {
  mkdirSync(authDir(), { recursive: true });
  writeFileSync(portFile(), String(port));
}

export function localIdentity(port = localJwksPort()): LocalIdentity {
  const issuer = `http://127.0.0.1:${port}`;
  return { issuer, audience: 'stepwise', jwksUrl: `${issuer}/.well-known/jwks.json`, port };
}

export const authDir = (...parts: string[]): string => infraDir('auth', ...parts);
export const signingKeyFile = (): string => authDir('signing-key.jwk.json');
export const jwksFile = (): string => authDir('jwks.json');

/** A private signing key with its key id, as used to sign tokens. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyLike;
  readonly publicJwk: JWK;
}

/** A fresh RS256 key pair (tests use one to sign tokens the services must reject). */
export async function generateSigningKey(kid?: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(TOKEN_ALGORITHM, {
    modulusLength: 2048,
    extractable: true,
  });
  const publicJwk = await exportJWK(publicKey);
  const id = kid ?? (await calculateJwkThumbprint(publicJwk));
  return { kid: id, privateKey, publicJwk: { ...publicJwk, kid: id, alg: TOKEN_ALGORITHM, use: 'sig' } };
}

function writePrivate(path: string, content: string): void {
  // Write-then-rename so a concurrent reader never sees half a key.
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, content, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

/**
 * Creates the local key pair and its JWKS once; later calls keep them, so tokens minted earlier stay valid
 * across `infra:up` runs. Returns the JWKS file.
 */
export async function ensureSigningKey(): Promise<string> {
  mkdirSync(authDir(), { recursive: true, mode: 0o700 });
  if (!existsSync(signingKeyFile())) {
    const key = await generateSigningKey();
    const privateJwk = { ...(await exportJWK(key.privateKey)), kid: key.kid, alg: TOKEN_ALGORITHM };
    writePrivate(signingKeyFile(), `${JSON.stringify(privateJwk, null, 2)}\n`);
    writePrivate(jwksFile(), `${JSON.stringify({ keys: [key.publicJwk] }, null, 2)}\n`);
  }
  return jwksFile();
}

/** The local signing key (created on first use). */
export async function readSigningKey(): Promise<SigningKey> {
  await ensureSigningKey();
  const privateJwk = JSON.parse(readFileSync(signingKeyFile(), 'utf8')) as JWK & { kid: string };
  const jwks = JSON.parse(readFileSync(jwksFile(), 'utf8')) as { keys: JWK[] };
  const publicJwk = jwks.keys.find((k) => k.kid === privateJwk.kid);
  if (publicJwk === undefined) throw new Error(`${jwksFile()} does not hold key ${privateJwk.kid}`);
  const privateKey = await importJWK(privateJwk, TOKEN_ALGORITHM);
  if (privateKey instanceof Uint8Array) throw new Error('The local signing key must be an RSA key');
  return { kid: privateJwk.kid, privateKey, publicJwk };
}

/** The `recipient` claim of an integration token: the organisation as consents name it, and its purposes. */
export interface OutsideSystem {
  readonly kind: string;
  readonly id: string;
  readonly purposes: readonly string[];
}

export interface TokenRequest {
  /** User id, or the calling service's name for a service token. */
  readonly sub: string;
  readonly roles: readonly string[];
  readonly sites?: readonly string[];
  readonly network?: string;
  /** An outside system's identity as consents name it (integration tokens only). */
  readonly recipient?: OutsideSystem;
  /** Lifetime in seconds (default 15 minutes); negative yields an already expired token. */
  readonly ttlSeconds?: number;
  /** `nbf` this many seconds from now (default: now). */
  readonly notBeforeInSeconds?: number;
  readonly issuer?: string;
  readonly audience?: string;
  /** Sign with this key instead of the local one (a token the services must reject). */
  readonly key?: SigningKey;
  /** The clock to mint at, in seconds since the epoch (default: now). */
  readonly now?: number;
}

/** Mints a signed RS256 token with the claims the services read: sub, roles, sites, network. */
export async function mintToken(request: TokenRequest): Promise<string> {
  const key = request.key ?? (await readSigningKey());
  const identity = localIdentity();
  const now = request.now ?? Math.floor(Date.now() / 1000);
  const ttl = request.ttlSeconds ?? 15 * 60;
  return new SignJWT({
    roles: [...request.roles],
    sites: [...(request.sites ?? [])],
    ...(request.network === undefined ? {} : { network: request.network }),
    ...(request.recipient === undefined
      ? {}
      : { recipient: { ...request.recipient, purposes: [...request.recipient.purposes] } }),
  })
    .setProtectedHeader({ alg: TOKEN_ALGORITHM, typ: 'JWT', kid: key.kid })
    .setSubject(request.sub)
    .setIssuer(request.issuer ?? process.env['AUTH_ISSUER'] ?? identity.issuer)
    .setAudience(request.audience ?? process.env['AUTH_AUDIENCE'] ?? identity.audience)
    .setIssuedAt(now)
    .setNotBefore(now + (request.notBeforeInSeconds ?? 0))
    .setExpirationTime(now + ttl)
    .setJti(randomUUID())
    .sign(key.privateKey);
}

/** An `alg: none` token carrying valid-looking claims: services must refuse it. */
export function mintUnsignedToken(
  request: Pick<TokenRequest, 'sub' | 'roles' | 'sites' | 'network'>,
): string {
  const identity = localIdentity();
  return new UnsecuredJWT({
    roles: [...request.roles],
    sites: [...(request.sites ?? [])],
    ...(request.network === undefined ? {} : { network: request.network }),
  })
    .setSubject(request.sub)
    .setIssuer(process.env['AUTH_ISSUER'] ?? identity.issuer)
    .setAudience(process.env['AUTH_AUDIENCE'] ?? identity.audience)
    .setIssuedAt()
    .setExpirationTime('15m')
    .encode();
}

/** Parses a lifetime such as `90s`, `15m`, `8h` or `2d` (a bare number is seconds). */
export function parseTtl(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (match === null) throw new Error(`Invalid --ttl "${text}": use e.g. 90s, 15m, 8h or 2d`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}
