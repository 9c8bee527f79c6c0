import { randomUUID } from 'node:crypto';
import { mintToken } from '@stepwise/infra';

/** A problem+json answer (or any non-2xx), surfaced with what the service said. */
export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly problem: { code?: string; title?: string; detail?: string; errors?: unknown } | undefined,
  ) {
    super(
      `${method} ${path} → ${status}${problem?.code ? ` ${problem.code}` : ''}${problem?.detail ? `: ${problem.detail}` : ''}${problem?.errors === undefined ? '' : ` ${JSON.stringify(problem.errors).slice(0, 500)}`}`,
    );
  }
}

/** Who calls: a role with its sites, as the identity provider would put it in a token. */
export interface Caller {
  readonly sub: string;
  readonly roles: readonly string[];
  readonly sites: readonly string[];
  readonly network: string;
}

/**
 * A caller of one service's public API: bearer token (minted by the local identity, refreshed before expiry),
 * JSON in and out, an `Idempotency-Key` on every POST, and errors that carry the problem document.
 */
export class HttpApi {
  private token: { value: string; expires: number } | undefined;

  /** `issue` replaces the local identity when a real provider issues the tokens (the console's browser tests). */
  constructor(
    readonly baseUrl: string,
    readonly caller: Caller,
    private readonly issue?: () => Promise<string>,
  ) {}

  private async bearer(): Promise<string> {
    if (this.issue !== undefined) return this.issue();
    if (this.token === undefined || this.token.expires < Date.now() + 60_000) {
      const ttlSeconds = 30 * 60;
      this.token = {
        value: await mintToken({ ...this.caller, ttlSeconds }),
        expires: Date.now() + ttlSeconds * 1000,
      };
    }
    return this.token.value;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${await this.bearer()}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method === 'POST') headers['idempotency-key'] = randomUUID();
    const response = await fetch(`${this.baseUrl}/v1${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
    if (!response.ok) {
      throw new ApiError(method, path, response.status, parsed as ApiError['problem']);
    }
    return parsed as T;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }
  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }
  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }
  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }
  async delete(path: string): Promise<void> {
    await this.request<undefined>('DELETE', path);
  }
}
