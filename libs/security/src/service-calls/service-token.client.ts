import { Logger } from '@nestjs/common';

/** Options of the OAuth2 client-credentials flow a service uses to call its peers (any service: intake, scheduling …). */
export interface ServiceTokenOptions {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Renew this long before the token expires, so no call carries a token about to lapse. */
  readonly renewBeforeMs?: number;
}

export class ServiceTokenError extends Error {
  constructor(
    reason: string,
    /** The token endpoint's HTTP status, when it answered. */
    readonly status?: number,
  ) {
    super(`service token unavailable: ${reason}`);
    this.name = 'ServiceTokenError';
  }

  /** The endpoint refused this service's credentials (wrong or missing secret): configuration, not an outage. */
  get rejected(): boolean {
    return this.status === 400 || this.status === 401;
  }
}

/**
 * Fetches a `service` token with the client-credentials grant and caches it until shortly before it expires;
 * concurrent callers share one request.
 */
export class ServiceTokenClient {
  private readonly logger = new Logger('ServiceTokenClient');
  private cached: { token: string; renewAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly options: ServiceTokenOptions,
    private readonly now: () => number = Date.now,
  ) {}

  async token(): Promise<string> {
    if (this.cached !== undefined && this.now() < this.cached.renewAt) return this.cached.token;
    this.pending ??= this.fetchToken().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** Forget the cached token (a peer answered 401: it may have been revoked or the key rotated). */
  invalidate(): void {
    this.cached = undefined;
  }

  private async fetchToken(): Promise<string> {
    const { tokenUrl, clientId, clientSecret } = this.options;
    let response: Response;
    try {
      response = await fetch(tokenUrl, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
        signal: AbortSignal.timeout(5_000),
      });
    } catch {
      throw new ServiceTokenError('token endpoint unreachable');
    }
    if (!response.ok) {
      // The OAuth error code (`invalid_client`, …) names the cause; the description and secret are not logged.
      const error = await response
        .json()
        .then((body) => {
          const code = (body as { error?: unknown }).error;
          return typeof code === 'string' && /^[a-z_]{1,64}$/.test(code) ? ` ${code}` : '';
        })
        .catch(() => '');
      const failure = new ServiceTokenError(
        response.status === 401
          ? `token endpoint refused client "${clientId}" (401${error}): check AUTH_CLIENT_ID and AUTH_CLIENT_SECRET`
          : `token endpoint answered ${response.status}${error}`,
        response.status,
      );
      this.logger.error(failure.message);
      throw failure;
    }
    const body = (await response.json()) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string' || typeof body.expires_in !== 'number')
      throw new ServiceTokenError('token endpoint answered without access_token and expires_in');
    const lifetimeMs = body.expires_in * 1000;
    const renewBefore = Math.min(this.options.renewBeforeMs ?? 60_000, lifetimeMs / 2);
    this.cached = { token: body.access_token, renewAt: this.now() + lifetimeMs - renewBefore };
    return body.access_token;
  }
}
