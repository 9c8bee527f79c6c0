/**
 * The route template a request matched (`/v1/clients/:clientId`), never its concrete path: what metric labels
 * and span names carry, so no id or query string reaches them. Undefined until routing matched a handler, and
 * for a request no handler matched (the catch-all `{*path}` a middleware is mounted on is not a route).
 */
export function routeTemplate(request: { baseUrl?: unknown; route?: unknown }): string | undefined {
  const path = (request.route as { path?: unknown } | undefined)?.path;
  if (typeof path !== 'string' || path.includes('{*')) return undefined;
  return `${typeof request.baseUrl === 'string' ? request.baseUrl : ''}${path}`;
}
