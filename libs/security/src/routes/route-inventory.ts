import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { APP_GUARD, ModulesContainer } from '@nestjs/core';
import { PUBLIC_ROUTE } from '@stepwise/platform';
import { type Permission } from '@stepwise/api-model';
import { ROUTE_REQUIREMENT, type RouteRequirement } from '../authorization/require-permission.decorator';

/** One HTTP route of an application and how it is protected. */
export interface RouteProtection {
  readonly route: string;
  readonly controller: string;
  readonly handler: string;
  readonly public: boolean;
  readonly permission: Permission | undefined;
}

function paths(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return [typeof value === 'string' ? value : '/'];
}

function join(...parts: string[]): string {
  return `/${parts
    .flatMap((part) => part.split('/'))
    .filter(Boolean)
    .join('/')}`;
}

/**
 * Every route of the controllers in a compiled Nest application (a TestingModule or an app), read from the
 * routing metadata, with its public marker and declared permission. The route-protection test asserts that
 * each one has exactly one of them.
 */
export function listRoutes(modules: {
  get<T>(type: Type<T>, options?: { strict: boolean }): T;
}): RouteProtection[] {
  const container = modules.get(ModulesContainer, { strict: false });
  const routes: RouteProtection[] = [];
  const seen = new Set<Type>();
  for (const module of container.values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (controller === null || seen.has(controller)) continue;
      seen.add(controller);
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const isPublic = (target: object): boolean => Reflect.getMetadata(PUBLIC_ROUTE, target) === true;
        const requirement = (Reflect.getMetadata(ROUTE_REQUIREMENT, handler) ??
          Reflect.getMetadata(ROUTE_REQUIREMENT, controller)) as RouteRequirement | undefined;
        for (const base of paths(Reflect.getMetadata(PATH_METADATA, controller))) {
          for (const path of paths(Reflect.getMetadata(PATH_METADATA, handler))) {
            routes.push({
              route: `${RequestMethod[method]} ${join(base, path)}`,
              controller: controller.name,
              handler: name,
              public: isPublic(handler) || isPublic(controller),
              permission: requirement?.permission,
            });
          }
        }
      }
    }
  }
  return routes.sort((a, b) => a.route.localeCompare(b.route));
}

/** Routes that are neither public nor declare a permission: each is a hole (refused at run time anyway). */
export function unprotectedRoutes(routes: RouteProtection[]): RouteProtection[] {
  return routes.filter((route) => !route.public && route.permission === undefined);
}

/**
 * The classes registered as global guards (APP_GUARD) in a compiled application. Nest keys those providers
 * `APP_GUARD (UUID: …)`.
 */
export function globalGuards(modules: { get<T>(type: Type<T>, options?: { strict: boolean }): T }): string[] {
  const container = modules.get(ModulesContainer, { strict: false });
  const guards: string[] = [];
  for (const module of container.values()) {
    for (const [token, wrapper] of module.providers) {
      if (typeof token === 'string' && token.startsWith(APP_GUARD))
        guards.push((wrapper.metatype as Type | null)?.name ?? 'unknown');
    }
  }
  return guards;
}

/**
 * What is wrong with the protection of an application's routes, as sentences (empty when all is well): a
 * route with neither a permission nor `@PublicRoute()`, a route with both, or a missing global
 * SecurityGuard. Each app's route-protection spec expects this to be empty.
 */
export function routeProtectionProblems(modules: {
  get<T>(type: Type<T>, options?: { strict: boolean }): T;
}): string[] {
  const routes = listRoutes(modules);
  const guards = globalGuards(modules);
  return [
    ...(routes.length === 0 ? ['the application has no routes at all'] : []),
    ...unprotectedRoutes(routes).map(
      (r) => `${r.route} (${r.controller}.${r.handler}) declares neither a permission nor @PublicRoute()`,
    ),
    ...routes
      .filter((r) => r.public && r.permission !== undefined)
      .map((r) => `${r.route} (${r.controller}.${r.handler}) is public and declares ${r.permission ?? ''}`),
    ...(guards.includes('SecurityGuard')
      ? []
      : [`no global SecurityGuard (global guards: ${guards.join(', ') || 'none'})`]),
  ];
}
