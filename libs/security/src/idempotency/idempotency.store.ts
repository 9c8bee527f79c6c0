import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  Logger,
} from '@nestjs/common';
import { ServiceConfig } from '@stepwise/platform';
import { DataSource } from 'typeorm';
import { ProblemException } from '../problems/problem.exception';

/** What the store says about a request carrying an Idempotency-Key. */
export type IdempotencyBegin =
  | { readonly kind: 'started' }
  | { readonly kind: 'replay'; readonly status: number; readonly body: unknown }
  | { readonly kind: 'mismatch' }
  | { readonly kind: 'in-progress' };

interface KeyRow {
  fingerprint: string;
  status_code: number | null;
  response_body: unknown;
  completed_at: Date | null;
}

const PURGE_EVERY_MS = 10 * 60_000;

/**
 * Idempotency keys in Postgres (table `idempotency_keys`), per principal, kept IDEMPOTENCY_TTL_HOURS.
 *
 * `begin` reserves the key atomically (INSERT … ON CONFLICT DO NOTHING): exactly one of concurrent requests
 * with the same key proceeds. The request's outcome then either completes the key (the response is kept for
 * replay) or releases it (a failed request may be retried with the same key). A process that dies between
 * its commit and `complete` leaves the key "in progress" until it expires: a retry then gets 409 instead of
 * a second execution — a duplicate is the worse failure for a clinical record.
 */
@Injectable()
export class IdempotencyStore implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Idempotency');
  private purgeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(ServiceConfig) private readonly config: ServiceConfig,
  ) {}

  private table(): string {
    const schema = (this.dataSource.options as { schema?: string }).schema ?? 'public';
    return `"${schema}"."idempotency_keys"`;
  }

  private query<T>(sql: string, params: unknown[]): Promise<T> {
    if (!this.dataSource.isInitialized) throw new ProblemException('service-unavailable');
    return this.dataSource.query<T>(sql, params);
  }

  async begin(principal: string, key: string, fingerprint: string): Promise<IdempotencyBegin> {
    // A concurrent release can delete the row between our INSERT and SELECT; trying again settles it.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      // One statement reserves a new key or takes over an expired one (as if it had been purged): a key
      // still in force is left as it is, and read below.
      const inserted = await this.query<unknown[]>(
        `INSERT INTO ${this.table()} AS k (principal, key, fingerprint, expires_at)
         VALUES ($1, $2, $3, now() + make_interval(hours => $4))
         ON CONFLICT (principal, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint,
           status_code = NULL, response_body = NULL, created_at = now(), completed_at = NULL,
           expires_at = EXCLUDED.expires_at
         WHERE k.expires_at <= now()
         RETURNING 1`,
        [principal, key, fingerprint, this.config.IDEMPOTENCY_TTL_HOURS],
      );
      if (inserted.length === 1) return { kind: 'started' };
      const [row] = await this.query<KeyRow[]>(
        `SELECT fingerprint, status_code, response_body, completed_at FROM ${this.table()}
          WHERE principal = $1 AND key = $2`,
        [principal, key],
      );
      if (row === undefined) continue;
      if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (row.completed_at === null || row.status_code === null) return { kind: 'in-progress' };
      return { kind: 'replay', status: row.status_code, body: row.response_body };
    }
    return { kind: 'in-progress' };
  }

  async complete(principal: string, key: string, status: number, body: unknown): Promise<void> {
    await this.query(
      `UPDATE ${this.table()} SET status_code = $3, response_body = $4::jsonb, completed_at = now()
        WHERE principal = $1 AND key = $2`,
      [principal, key, status, body === undefined ? null : JSON.stringify(body)],
    );
  }

  async release(principal: string, key: string): Promise<void> {
    await this.query(
      `DELETE FROM ${this.table()} WHERE principal = $1 AND key = $2 AND completed_at IS NULL`,
      [principal, key],
    );
  }

  /** Removes expired keys; any replica may do it, the statement is idempotent. */
  async purgeExpired(): Promise<number> {
    const result = await this.query<[unknown[], number]>(
      `DELETE FROM ${this.table()} WHERE expires_at <= now()`,
      [],
    );
    return result[1];
  }

  onApplicationBootstrap(): void {
    this.purgeTimer = setInterval(() => {
      this.purgeExpired().catch((error: unknown) =>
        this.logger.warn(
          `Expired idempotency keys not purged: ${error instanceof Error ? error.message : 'error'}`,
        ),
      );
    }, PURGE_EVERY_MS);
    this.purgeTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.purgeTimer);
  }
}
