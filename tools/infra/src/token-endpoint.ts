import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { type IncomingMessage } from 'node:http';
import { type JWK, importJWK } from 'jose';
import {
  type LocalIdentity,
  type OutsideSystem,
  type SigningKey,
  TOKEN_ALGORITHM,
  authDir,
  mintToken,
} from './identity';
import { ensureJwksServer, stopJwksServer } from './jwks';

/**
 * The local identity's OAuth2 client-credentials grant (RFC 6749 §4.4), so that services calling their peers
 * (notifications asking intake for a contact) obtain a `service` token the way they would from a production
 * OIDC provider. The registered clients live in `.infra/auth/clients.json` (git-ignored, 0600), one generated
 * secret per service, written by `npm run infra:up`; `.infra/env.json` then holds AUTH_TOKEN_URL and
 * `<SERVICE>_CLIENT_SECRET`. The file is read on each request, so new clients need no restart.
 */

export const TOKEN_PATH = '/oauth/token';

/** Lifetime of an issued service token, as production providers commonly use for machine tokens. */
export const SERVICE_TOKEN_TTL_SECONDS = 15 * 60;

export interface ClientRegistry {
  /** The network every local service token names (`network` claim); a client entry may name another. */
  readonly network: string;
  readonly clients: Readonly<Record<string, RegisteredClient>>;
}

/**
 * A registered client: a service of the program (a `service` token), or — when it names `recipient` — an
 * outside system reading the FHIR view (an `integration` token carrying the recipient claim).
 */
export interface RegisteredClient {
  readonly secret: string;
  readonly network?: string;
  readonly recipient?: OutsideSystem;
}

export const clientsFile = (): string => authDir('clients.json');

function readRegistry(path: string): ClientRegistry | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ClientRegistry;
  } catch {
    return undefined;
  }
}

/**
 * Registers each named client with a generated secret; existing clients, their secrets and the network are
 * kept, so secrets already handed to running services stay valid across `infra:up` runs. A secret in `given`
 * (client id → secret) replaces the registered one: docker compose hands the same development secret to the
 * identity server and to the service, as its environment cannot read a generated file.
 */
export function ensureServiceClients(
  clientIds: readonly string[],
  path = clientsFile(),
  given: Readonly<Record<string, string>> = {},
): ClientRegistry {
  const current = readRegistry(path);
  const clients = { ...(current?.clients ?? {}) };
  for (const id of clientIds) {
    const secret = given[id];
    if (secret !== undefined && secret !== '') clients[id] = { ...clients[id], secret };
    else clients[id] ??= { secret: randomBytes(24).toString('base64url') };
  }
  const registry: ClientRegistry = { network: current?.network ?? randomUUID(), clients };
  if (JSON.stringify(registry) !== JSON.stringify(current)) {
    mkdirSync(authDir(), { recursive: true, mode: 0o700 });
    // Write-then-rename: the token endpoint reading concurrently never sees half a file.
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(registry, null, 2)}\n`, { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, path);
  }
  return registry;
}

/** The environment variable that carries a client's secret to its service, e.g. NOTIFICATIONS_CLIENT_SECRET. */
export const clientSecretVariable = (clientId: string): string =>
  `${clientId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_CLIENT_SECRET`;

/** The client secrets an environment sets (`<SERVICE>_CLIENT_SECRET`), by client id. */
export function givenClientSecrets(
  clientIds: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const given: Record<string, string> = {};
  for (const id of clientIds) {
    const secret = env[clientSecretVariable(id)];
    if (secret !== undefined && secret !== '') given[id] = secret;
  }
  return given;
}

export interface TokenEndpointOptions {
  readonly issuer: string;
  readonly audience: string;
  /** The private signing key (JWK), the same one whose public half the JWKS publishes. */
  readonly signingKeyPath: string;
  readonly clientsPath: string;
}

/** An answer of the token endpoint: status, body and any extra headers. */
export interface TokenAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers?: Record<string, string>;
}

const oauthError = (status: number, error: string, description: string): TokenAnswer => ({
  status,
  body: { error, error_description: description },
  ...(status === 401 ? { headers: { 'www-authenticate': 'Basic realm="stepwise-local"' } } : {}),
});

/** Client id and secret from `Authorization: Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1). */
function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return {
      id: decodeURIComponent(decoded.slice(0, colon)),
      secret: decodeURIComponent(decoded.slice(colon + 1)),
    };
  } catch {
    return undefined;
  }
}

/** Compares secrets in constant time (hashes first, so lengths do not leak either). */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

async function signingKey(path: string): Promise<SigningKey> {
  const privateJwk = JSON.parse(readFileSync(path, 'utf8')) as JWK & { kid: string };
  const privateKey = await importJWK(privateJwk, TOKEN_ALGORITHM);
  if (privateKey instanceof Uint8Array) throw new Error('The local signing key must be an RSA key');
  const { kty = 'RSA', n = '', e = '', kid } = privateJwk;
  return { kid, privateKey, publicJwk: { kty, n, e, kid, alg: TOKEN_ALGORITHM } };
}

/**
 * Answers `POST /oauth/token`: the client authenticates with HTTP Basic, asks for `grant_type=client_credentials`
 * and receives an RS256 `service` token with `sub` = its client id and the `network` claim (an outside system
 * registered with a `recipient` receives an `integration` token carrying it). Client
 * authentication is checked first (401 `invalid_client`), then the grant (400 `unsupported_grant_type`).
 */
export async function answerTokenRequest(
  request: Pick<IncomingMessage, 'headers'>,
  body: string,
  options: TokenEndpointOptions,
  now: number = Math.floor(Date.now() / 1000),
): Promise<TokenAnswer> {
  const credentials = basicCredentials(request.headers.authorization);
  if (credentials === undefined)
    return oauthError(401, 'invalid_client', 'client authentication with HTTP Basic is required');
  const registry = readRegistry(options.clientsPath);
  const client = registry?.clients[credentials.id];
  if (registry === undefined || client === undefined || !sameSecret(credentials.secret, client.secret))
    return oauthError(401, 'invalid_client', 'unknown client or wrong secret');
  const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/x-www-form-urlencoded')
    return oauthError(400, 'invalid_request', 'the body must be application/x-www-form-urlencoded');
  const grantType = new URLSearchParams(body).get('grant_type');
  if (grantType === null || grantType === '')
    return oauthError(400, 'invalid_request', 'grant_type is required');
  if (grantType !== 'client_credentials')
    return oauthError(400, 'unsupported_grant_type', 'only client_credentials is supported');
  const accessToken = await mintToken({
    sub: credentials.id,
    roles: client.recipient === undefined ? ['service'] : ['integration'],
    network: client.network ?? registry.network,
    ...(client.recipient === undefined ? {} : { recipient: client.recipient }),
    ttlSeconds: SERVICE_TOKEN_TTL_SECONDS,
    issuer: options.issuer,
    audience: options.audience,
    key: await signingKey(options.signingKeyPath),
    now,
  });
  return {
    status: 200,
    body: { access_token: accessToken, token_type: 'Bearer', expires_in: SERVICE_TOKEN_TTL_SECONDS },
  };
}

/** Whether the identity server at `issuer` has the token endpoint (a server started before it existed has not). */
export async function tokenEndpointAnswers(issuer: string): Promise<boolean> {
  try {
    const response = await fetch(`${issuer}${TOKEN_PATH}`, {
      method: 'POST',
      signal: AbortSignal.timeout(1_000),
    });
    const body = (await response.json()) as { error?: unknown };
    return response.status === 401 && body.error === 'invalid_client';
  } catch {
    return false;
  }
}

/**
 * Registers the services as clients and makes sure the local identity server issues their tokens: a server
 * this tool started from an older checkout state (JWKS only) is restarted once. Returns the identity as served
 * and the variables for `.infra/env.json`.
 */
export async function ensureTokenEndpoint(
  served: LocalIdentity,
  clientIds: readonly string[],
): Promise<{ identity: LocalIdentity; env: Record<string, string> }> {
  const registry = ensureServiceClients(clientIds);
  let identity = served;
  if (!(await tokenEndpointAnswers(identity.issuer))) {
    if (!(await stopJwksServer()))
      throw new Error(
        `The identity server at ${identity.issuer} has no ${TOKEN_PATH} and was not started by this tool: stop it and run again`,
      );
    identity = (await ensureJwksServer(identity)).identity;
    if (!(await tokenEndpointAnswers(identity.issuer)))
      throw new Error(`The identity server at ${identity.issuer} does not answer ${TOKEN_PATH}`);
  }
  const env: Record<string, string> = { AUTH_TOKEN_URL: `${identity.issuer}${TOKEN_PATH}` };
  for (const id of clientIds) {
    const client = registry.clients[id];
    if (client !== undefined) env[clientSecretVariable(id)] = client.secret;
  }
  return { identity, env };
}
