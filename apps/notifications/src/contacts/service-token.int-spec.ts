import { Logger, type LoggerService } from '@nestjs/common';
import { infraVar } from '@stepwise/testing';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { ServiceTokenClient, ServiceTokenError } from '@stepwise/security';
import { serviceTokenFailure } from './service-token-failure';

/**
 * The service credential as this service obtains it locally: the identity server `npm run infra:up` runs
 * (tools/infra/src/jwks-server.ts) issues client-credentials tokens to the clients it registered in
 * .infra/auth/clients.json, whose secrets .infra/env.json carries (NOTIFICATIONS_CLIENT_SECRET).
 */
const tokenUrl = (): string => infraVar('AUTH_TOKEN_URL');
const secret = (): string => infraVar('NOTIFICATIONS_CLIENT_SECRET');
const basic = (id: string, password: string): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(password)}`).toString('base64')}`;

async function requestToken(
  authorization: string | undefined,
  body = 'grant_type=client_credentials',
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(tokenUrl(), {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(authorization === undefined ? {} : { authorization }),
    },
    body,
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe('local identity: client-credentials token endpoint (the running local server)', () => {
  it('issues an RS256 service token for the client, verifiable with the JWKS the services trust', async () => {
    const answer = await requestToken(basic('notifications', secret()));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 900,
    });
    const token = answer.body['access_token'] as string;
    expect(decodeProtectedHeader(token).alg).toBe('RS256');
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(infraVar('AUTH_JWKS_URL'))), {
      issuer: infraVar('AUTH_ISSUER'),
      audience: infraVar('AUTH_AUDIENCE'),
      algorithms: ['RS256'],
    });
    expect(payload).toMatchObject({ sub: 'notifications', roles: ['service'], sites: [] });
    expect(payload['network']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(900);
  });

  it('refuses a wrong secret, an unknown client and a request without credentials with 401 invalid_client', async () => {
    for (const authorization of [
      basic('notifications', `${secret()}x`),
      basic('someone-else', secret()),
      undefined,
    ]) {
      const answer = await requestToken(authorization);
      expect(answer.status).toBe(401);
      expect(answer.body['error']).toBe('invalid_client');
      expect(answer.body['access_token']).toBeUndefined();
      expect(answer.headers.get('www-authenticate')).toMatch(/^Basic /);
    }
  });

  it('answers 400 unsupported_grant_type for any grant but client_credentials, and invalid_request without one', async () => {
    const password = await requestToken(
      basic('notifications', secret()),
      'grant_type=password&username=a&password=b',
    );
    expect(password.status).toBe(400);
    expect(password.body['error']).toBe('unsupported_grant_type');
    const none = await requestToken(basic('notifications', secret()), 'scope=all');
    expect(none.status).toBe(400);
    expect(none.body['error']).toBe('invalid_request');
  });

  it('names the token endpoint in the discovery document', async () => {
    const discovery = (await (
      await fetch(`${infraVar('AUTH_ISSUER')}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      token_endpoint: tokenUrl(),
      grant_types_supported: ['client_credentials'],
    });
  });
});

describe('ServiceTokenClient against the local token endpoint', () => {
  let now = Date.UTC(2025, 9, 1, 12, 0, 0);
  const clock = (): number => now;
  const client = (clientSecret = secret()): ServiceTokenClient =>
    new ServiceTokenClient({ tokenUrl: tokenUrl(), clientId: 'notifications', clientSecret }, clock);

  it('caches the token until a minute before it expires, shares one request among concurrent callers, then renews', async () => {
    const tokens = client();
    const first = await tokens.token();
    expect(decodeJwt(first)).toMatchObject({ sub: 'notifications', roles: ['service'] });
    // Every issued token has its own jti: the same string means no new request was made.
    const concurrent = await Promise.all([tokens.token(), tokens.token(), tokens.token()]);
    expect(concurrent).toEqual([first, first, first]);

    now += 900_000 - 60_000 - 1; // the last millisecond before the renewal point (expires_in 900 s, renew 60 s early)
    expect(await tokens.token()).toBe(first);
    now += 1;
    const renewed = await tokens.token();
    expect(renewed).not.toBe(first);
    expect(decodeJwt(renewed).jti).not.toBe(decodeJwt(first).jti);
    expect(await tokens.token()).toBe(renewed);
    now += 900_000;
    const together = await Promise.all([tokens.token(), tokens.token()]);
    expect(together[0]).toBe(together[1]);
    expect(together[0]).not.toBe(renewed);
  });

  it('fetches a new token after invalidate() (a peer answered 401)', async () => {
    const tokens = client();
    const first = await tokens.token();
    tokens.invalidate();
    expect(await tokens.token()).not.toBe(first);
  });

  it('surfaces a refused credential clearly: the error and the log line name the client, the 401 and invalid_client, never the secret', async () => {
    const lines: string[] = [];
    const capture: LoggerService = {
      log: () => undefined,
      warn: () => undefined,
      error: (message: unknown) => void lines.push(String(message)),
    };
    Logger.overrideLogger(capture);
    try {
      const wrong = `${secret()}-wrong`;
      const error = await client(wrong)
        .token()
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(ServiceTokenError);
      expect((error as ServiceTokenError).status).toBe(401);
      expect((error as Error).message).toBe(
        'service token unavailable: token endpoint refused client "notifications" (401 invalid_client): check AUTH_CLIENT_ID and AUTH_CLIENT_SECRET',
      );
      expect(serviceTokenFailure(error as ServiceTokenError)).toMatchObject({
        code: 'provider-unavailable',
        retryable: true,
        reason: 'service-token-rejected',
      });
      expect(lines).toEqual([(error as Error).message]);
      expect(lines.join('\n')).not.toContain(wrong);
    } finally {
      Logger.overrideLogger(false);
    }
  });

  it('tells an unreachable endpoint from a refused credential', async () => {
    const tokens = new ServiceTokenClient(
      { tokenUrl: 'http://127.0.0.1:1/oauth/token', clientId: 'notifications', clientSecret: secret() },
      clock,
    );
    const error = (await tokens.token().catch((e: unknown) => e)) as ServiceTokenError;
    expect(error.message).toBe('service token unavailable: token endpoint unreachable');
    expect(serviceTokenFailure(error).reason).toBe('service-token-unavailable');
  });
});
