/**
 * The local identity provider's public face, run as a detached process by `npm run infra:up`: serves the
 * JWKS (read from disk on each request, so a new key is picked up without a restart), a minimal OIDC
 * discovery document and the client-credentials token endpoint (`POST /oauth/token`, see token-endpoint.ts;
 * the signing key and clients.json are read from the JWKS file's folder). Usage: jwks-server.ts <port>
 * <issuer> <jwks-file> [host] — loopback unless a host is given (the docker compose `jwks` service listens on
 * its container network).
 */
import { readFileSync } from 'node:fs';
import { type IncomingMessage, createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { localIdentity } from './identity';
import { TOKEN_PATH, type TokenEndpointOptions, answerTokenRequest } from './token-endpoint';

const [portText, issuer, jwksPath, host = '127.0.0.1'] = process.argv.slice(2);
if (portText === undefined || issuer === undefined || jwksPath === undefined) {
  console.error('usage: jwks-server.ts <port> <issuer> <jwks-file>');
  process.exit(64);
}

const tokenOptions: TokenEndpointOptions = {
  issuer,
  audience: localIdentity().audience,
  signingKeyPath: join(dirname(jwksPath), 'signing-key.jwk.json'),
  clientsPath: join(dirname(jwksPath), 'clients.json'),
};

/** A token request's form body, refused past a few kilobytes. */
async function readForm(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) {
    body += (chunk as Buffer).toString('utf8');
    if (body.length > 8_192) throw new Error('body too large');
  }
  return body;
}

const server = createServer((request, response) => {
  const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
    response.writeHead(status, {
      'content-type': 'application/json',
      'cache-control': 'max-age=60',
      ...headers,
    });
    response.end(JSON.stringify(body));
  };
  const path = (request.url ?? '/').split('?')[0];
  if (path === TOKEN_PATH && request.method === 'POST') {
    // Tokens are never cached (RFC 6749 §5.1).
    const noStore = { 'cache-control': 'no-store', pragma: 'no-cache' };
    void readForm(request).then(
      (body) =>
        answerTokenRequest(request, body, tokenOptions).then(
          (answer) => send(answer.status, answer.body, { ...noStore, ...answer.headers }),
          () => send(500, { error: 'server_error' }, noStore),
        ),
      () => send(400, { error: 'invalid_request' }, noStore),
    );
    return;
  }
  if (request.method !== 'GET') return send(405, { error: 'method not allowed' });
  switch (path) {
    case '/.well-known/jwks.json':
      try {
        return send(200, JSON.parse(readFileSync(jwksPath, 'utf8')) as unknown);
      } catch {
        return send(503, { error: 'no signing keys yet' });
      }
    case '/.well-known/openid-configuration':
      return send(200, {
        issuer,
        jwks_uri: `${issuer}/.well-known/jwks.json`,
        token_endpoint: `${issuer}${TOKEN_PATH}`,
        grant_types_supported: ['client_credentials'],
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    default:
      return send(404, { error: 'not found' });
  }
});

server.listen(Number(portText), host, () => console.log(`JWKS for ${issuer} on ${host}:${portText}`));
const stop = (): void => {
  server.close(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
