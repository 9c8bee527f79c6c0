import { type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { ThrottlerException, ThrottlerGuard } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import { type AuthenticatedRequest } from '../auth/request-principal';

/**
 * Per-principal rate limiting (RATE_LIMIT_REQUESTS per RATE_LIMIT_WINDOW_SECONDS), counted in Redis so
 * every replica shares one budget. One budget per principal for the whole service, not per route, so a
 * client cannot multiply its allowance by spreading calls. The key is a hash: Redis never sees user ids.
 * Past the limit: 429 with Retry-After. If Redis is unreachable, requests pass (and readiness already
 * reports Redis down): an outage of the counter must not become an outage of the API.
 */
@Injectable()
export class PrincipalThrottlerGuard extends ThrottlerGuard {
  private readonly log = new Logger('RateLimit');

  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    const { principal, ip } = request as unknown as AuthenticatedRequest;
    return Promise.resolve(principal !== undefined ? `principal:${principal.id}` : `ip:${ip ?? 'unknown'}`);
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, throttler: string): string {
    return `rate:${createHash('sha256').update(`${throttler}:${tracker}`).digest('hex')}`;
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    try {
      return await super.canActivate(context);
    } catch (error) {
      if (error instanceof ThrottlerException) throw error;
      this.log.warn(`Rate limit not checked (${error instanceof Error ? error.message : 'unknown error'})`);
      return true;
    }
  }
}
