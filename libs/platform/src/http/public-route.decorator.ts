import { type CustomDecorator, SetMetadata } from '@nestjs/common';

/** Metadata key read by the authentication guard: routes carrying it need no token. */
export const PUBLIC_ROUTE = 'stepwise:public-route';

/**
 * Marks a controller or route as public. Only operational endpoints (health, metrics, API docs) may carry
 * it: they expose no client data. Every other route requires a valid token by default.
 */
export const PublicRoute = (): CustomDecorator<string> => SetMetadata(PUBLIC_ROUTE, true);
