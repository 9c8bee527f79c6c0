import { SetMetadata, applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ProblemDocument } from '../problems/problem-document';
import { type Permission } from '@stepwise/api-model';

/** Where a route's request names the site it acts on; checked against the token before the handler runs. */
export type SiteSource = { readonly param: string } | { readonly query: string } | { readonly body: string };

export interface RouteRequirement {
  readonly permission: Permission;
  readonly site?: SiteSource;
}

export const ROUTE_REQUIREMENT = 'stepwise:route-requirement';

/**
 * Declares what a route requires: a permission (checked against the token's roles: 403 without it) and,
 * optionally, where the request names a site (path parameter, query parameter or body property). A named
 * site outside the caller's scope answers 404, as if it did not exist, and is audited as denied.
 *
 * Every route needs this or `@PublicRoute()`; a route with neither is refused at run time and fails the
 * route-protection test.
 *
 * @example @RequirePermission('clients:read', { site: { param: 'siteId' } })
 */
export function RequirePermission(
  permission: Permission,
  options: { site?: SiteSource } = {},
): MethodDecorator & ClassDecorator {
  const requirement: RouteRequirement = { permission, ...options };
  return applyDecorators(
    SetMetadata(ROUTE_REQUIREMENT, requirement),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing or invalid bearer token', type: ProblemDocument }),
    ApiForbiddenResponse({ description: `Requires ${permission}`, type: ProblemDocument }),
    ...(options.site === undefined
      ? []
      : [
          ApiNotFoundResponse({
            description: 'No such site or record for this caller',
            type: ProblemDocument,
          }),
        ]),
  );
}
