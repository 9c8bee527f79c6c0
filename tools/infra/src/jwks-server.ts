/**
 * The local identity provider's public face, run as a detached process by `npm run infra:up`: serves the
 * JWKS (read from disk on each request, so a new key is picked up without a restart) and a minimal OIDC
 * discovery document. Usage: jwks-server.ts <port> <issuer> <jwks-file> [host] — loopback unless a host is
 * given (the docker compose `jwks` service listens on its container network).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [portText, issuer, jwksPath, host = '127.0.0.1'] = process.argv.slice(2);
if (portText === undefined || issuer === undefined || jwksPath === undefined) {
  console.error('usage: jwks-server.ts <port> <issuer> <jwks-file>');
  process.exit(64);
}

const server = createServer((request, response) => {
  const send = (status: number, body: unknown): void => {
    response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'max-age=60' });
    response.end(JSON.stringify(body));
  };
  const path = (request.url ?? '/').split('?')[0];
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
