import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PUBLIC_ROUTE } from '@stepwise/platform';
import { JwtVerifier, TokenRejected } from './auth/jwt-verifier';
import { type Principal } from './auth/principal';
import { type AuthenticatedRequest, actorOf } from './auth/request-principal';
import { hasPermission } from '@stepwise/api-model';
import {
  ROUTE_REQUIREMENT,
  type RouteRequirement,
  type SiteSource,
} from './authorization/require-permission.decorator';
import { SiteScope } from './authorization/site-scope';
import { ProblemException } from './problems/problem.exception';
import { PrincipalThrottlerGuard } from './rate-limit/principal-throttler.guard';

const BEARER = /^Bearer ([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*\.[A-Za-z0-9\-_]*)$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CHALLENGE = 'Bearer realm="stepwise"';

function siteFrom(request: AuthenticatedRequest, source: SiteSource): { value: unknown; field: string } {
  if ('param' in source) return { value: request.params[source.param], field: source.param };
  if ('query' in source) return { value: request.query[source.query], field: source.query };
  const body: unknown = request.body;
  const value =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[source.body] : undefined;
  return { value, field: source.body };
}

/**
 * The one global guard. For every route not marked `@PublicRoute()`, in this order:
 *  1. authentication: a valid bearer token (401 with a specific code otherwise);
 *  2. per-principal rate limit (429);
 *  3. authorization: the route's declared permission (403); a route that declares none is refused, so
 *     forgetting the declaration fails closed;
 *  4. site scope for a site named by the request (404 and a denied audit entry when out of scope).
 */
@Injectable()
export class SecurityGuard implements CanActivate {
  private readonly logger = new Logger('Security');

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: JwtVerifier,
    private readonly throttler: PrincipalThrottlerGuard,
    private readonly siteScope: SiteScope,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Only HTTP is served by controllers; event handlers are authenticated by the broker's ACLs.
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, targets) === true) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    request.principal = await this.authenticate(request);
    // The budget protects the API from a person's (or a stolen token's) runaway client. Services calling each
    // other are part of the system: their volume follows the event flow (a contact lookup per notification),
    // and throttling them would turn a busy hour into failed deliveries.
    if (request.principal.kind !== 'service') await this.throttler.canActivate(context);

    const requirement = this.reflector.getAllAndOverride<RouteRequirement | undefined>(
      ROUTE_REQUIREMENT,
      targets,
    );
    if (requirement === undefined) {
      this.logger.error(
        `${context.getClass().name}.${context.getHandler().name} declares no permission: refused`,
      );
      throw new ProblemException('permission-denied');
    }
    if (!hasPermission(request.principal.roles, requirement.permission)) {
      throw new ProblemException('permission-denied', { detail: `Requires ${requirement.permission}` });
    }
    if (requirement.site !== undefined) {
      const { value, field } = siteFrom(request, requirement.site);
      if (typeof value !== 'string' || !UUID.test(value)) {
        throw new ProblemException('validation-failed', {
          errors: [{ field, problems: [`${field} must be a UUID`] }],
        });
      }
      const [resource, verb] = requirement.permission.split(':');
      await this.siteScope.assertSite(actorOf(request), value, {
        action: `${resource ?? 'unknown'}.${verb ?? 'unknown'}`,
        resourceType: 'site',
        resourceId: value.toLowerCase(),
      });
    }
    return true;
  }

  private async authenticate(request: AuthenticatedRequest): Promise<Principal> {
    const header = request.headers.authorization;
    if (header === undefined || header.trim() === '') {
      throw new ProblemException('token-missing', { headers: { 'WWW-Authenticate': CHALLENGE } });
    }
    const token = BEARER.exec(header.trim())?.[1];
    if (token === undefined) {
      throw new ProblemException('token-malformed', {
        headers: { 'WWW-Authenticate': `${CHALLENGE}, error="invalid_token"` },
      });
    }
    try {
      return await this.verifier.verify(token);
    } catch (error) {
      if (!(error instanceof TokenRejected)) throw error;
      throw new ProblemException(
        error.code,
        error.code === 'auth-unavailable'
          ? { headers: { 'Retry-After': '5' } }
          : { headers: { 'WWW-Authenticate': `${CHALLENGE}, error="invalid_token"` } },
      );
    }
  }
}
