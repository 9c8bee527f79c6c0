import { Controller, Get, Module, Post } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { PublicRoute } from '@stepwise/platform';
import { RequirePermission } from '../authorization/require-permission.decorator';
import { globalGuards, listRoutes, routeProtectionProblems, unprotectedRoutes } from './route-inventory';

@PublicRoute()
@Controller('health')
class OpenController {
  @Get('live')
  live(): string {
    return 'ok';
  }
}

@Controller('clients')
class ClientsController {
  @Get(':id')
  @RequirePermission('clients:read')
  read(): string {
    return 'client';
  }

  @Post()
  forgotten(): string {
    return 'created';
  }
}

class SomeGuard {
  canActivate(): boolean {
    return true;
  }
}

@Module({
  controllers: [OpenController, ClientsController],
  providers: [{ provide: APP_GUARD, useClass: SomeGuard }],
})
class ExampleModule {}

describe(listRoutes.name, () => {
  it('lists each route with its public marker and permission, and finds the one with neither', async () => {
    const app = await Test.createTestingModule({ imports: [ExampleModule] }).compile();
    const routes = listRoutes(app);
    expect(routes).toEqual([
      {
        route: 'GET /clients/:id',
        controller: 'ClientsController',
        handler: 'read',
        public: false,
        permission: 'clients:read',
      },
      {
        route: 'GET /health/live',
        controller: 'OpenController',
        handler: 'live',
        public: true,
        permission: undefined,
      },
      {
        route: 'POST /clients',
        controller: 'ClientsController',
        handler: 'forgotten',
        public: false,
        permission: undefined,
      },
    ]);
    expect(unprotectedRoutes(routes).map((r) => r.route)).toEqual(['POST /clients']);
    expect(globalGuards(app)).toEqual(['SomeGuard']);
  });
});

describe(routeProtectionProblems.name, () => {
  it('names each unprotected route and the missing global guard', async () => {
    const app = await Test.createTestingModule({ imports: [ExampleModule] }).compile();
    expect(routeProtectionProblems(app)).toEqual([
      'POST /clients (ClientsController.forgotten) declares neither a permission nor @PublicRoute()',
      'no global SecurityGuard (global guards: SomeGuard)',
    ]);
  });
});
