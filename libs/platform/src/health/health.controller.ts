import { Controller, Get } from '@nestjs/common';
import {
  HealthCheck,
  type HealthCheckResult,
  HealthCheckService,
  type HealthIndicatorResult,
  HealthIndicatorService,
} from '@nestjs/terminus';
import { PublicRoute } from '../http/public-route.decorator';
import { ReadinessRegistry } from './readiness.registry';

/**
 * Operational endpoints: public by design (probes carry no token) and free of client data.
 * Liveness says only that the process serves HTTP; readiness (200 or 503, Terminus format) says whether
 * every dependency answers now.
 */
@PublicRoute()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly readiness: ReadinessRegistry,
  ) {}

  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  async ready(): Promise<HealthCheckResult> {
    const results = await this.readiness.evaluate();
    return this.health.check(
      results.map((result) => (): Promise<HealthIndicatorResult> => {
        const indicator = this.indicators.check(result.name);
        return Promise.resolve(
          result.up ? indicator.up() : indicator.down({ message: result.message ?? 'unavailable' }),
        );
      }),
    );
  }
}
