import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type OutsideSystem, TOKEN_PATH, answerTokenRequest, authDir } from '@stepwise/infra';
import { infraVar } from '../infra/infra-env';

/** An outside system registered for a test: its client id and secret, as its administrator would hold them. */
export interface IntegrationClient {
  readonly clientId: string;
  readonly secret: string;
}

/**
 * The local identity's client-credentials endpoint (tools/infra token-endpoint.ts), served in-process for
 * outside systems a test registers — the shared server's registry holds the program's services only. It
 * signs with the local key under the local issuer, so the services trust its tokens as they would the
 * shared server's. `token(client)` performs the real OAuth2 exchange (HTTP Basic, form body).
 */
export interface IntegrationTokenServer {
  readonly tokenUrl: string;
  register(clientId: string, recipient: OutsideSystem, network: string): IntegrationClient;
  token(client: IntegrationClient): Promise<string>;
  close(): Promise<void>;
}

export async function startIntegrationTokenServer(): Promise<IntegrationTokenServer> {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-integrations-'));
  const clientsPath = join(dir, 'clients.json');
  const clients: Record<string, { secret: string; network: string; recipient: OutsideSystem }> = {};
  const save = (): void =>
    writeFileSync(clientsPath, JSON.stringify({ network: Object.values(clients)[0]?.network, clients }), {
      mode: 0o600,
    });
  const options = {
    issuer: infraVar('AUTH_ISSUER'),
    audience: infraVar('AUTH_AUDIENCE'),
    signingKeyPath: authDir('signing-key.jwk.json'),
    clientsPath,
  };
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      void answerTokenRequest(request, body, options).then((answer) => {
        response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        response.end(JSON.stringify(answer.body));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${TOKEN_PATH}`;
  return {
    tokenUrl,
    register(clientId, recipient, network) {
      const secret = randomBytes(24).toString('base64url');
      clients[clientId] = { secret, network, recipient };
      save();
      return { clientId, secret };
    },
    async token(client) {
      const basic = Buffer.from(
        `${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.secret)}`,
      ).toString('base64');
      const response = await fetch(tokenUrl, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      const answer = (await response.json()) as { access_token?: string };
      if (response.status !== 200 || answer.access_token === undefined)
        throw new Error(`token endpoint answered ${response.status}`);
      return answer.access_token;
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
