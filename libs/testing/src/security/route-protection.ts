import { Test } from '@nestjs/testing';
import { type ServiceConfig, type ServiceDefinition, loadConfig } from '@stepwise/platform';
import { globalGuards, listRoutes, unprotectedRoutes } from '@stepwise/security';
import { envExample } from '../config/env-example';

/**
 * Proves every HTTP route of a service is protected (issue 6): the app installs the global security guard,
 * and each route either declares a permission (`@RequirePermission`) or is explicitly public
 * (`@PublicRoute()`). Builds the real app module from the service's `.env.example`, without connecting to
 * anything, and reads the routing metadata of every controller it contains.
 */
export function describeRouteProtection<C extends ServiceConfig>(
  definition: ServiceDefinition<C>,
  envExamplePath: string,
): void {
  describe(`${definition.name} routes`, () => {
    const compile = () =>
      Test.createTestingModule({
        imports: [
          definition.module(loadConfig(definition.name, definition.config, envExample(envExamplePath))),
        ],
      }).compile();

    it('each declare a permission or are explicitly public', async () => {
      const app = await compile();
      const routes = listRoutes(app);
      expect(routes.map((r) => r.route)).toEqual(
        expect.arrayContaining(['GET /health/live', 'GET /health/ready']),
      );
      expect(unprotectedRoutes(routes)).toEqual([]);
      // A route may not be both: public wins at run time, which would silently drop the permission.
      expect(routes.filter((r) => r.public && r.permission !== undefined)).toEqual([]);
    });

    it('pass through the global security guard', async () => {
      expect(globalGuards(await compile())).toEqual(['SecurityGuard']);
    });
  });
}
