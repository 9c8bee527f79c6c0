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

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout(name: string, work: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

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
  ready(): Promise<HealthCheckResult> {
    const checks = this.readiness.all().map((dependency) => async (): Promise<HealthIndicatorResult> => {
      const indicator = this.indicators.check(dependency.name);
      try {
        await withTimeout(dependency.name, dependency.check());
        return indicator.up();
      } catch (error) {
        // Driver messages (connection refused, timeout) are operational and never carry client data.
        return indicator.down({ message: error instanceof Error ? error.message : 'unavailable' });
      }
    });
    checks.push(() =>
      Promise.resolve(
        this.readiness.isShuttingDown
          ? this.indicators.check('lifecycle').down({ message: 'shutting down' })
          : this.indicators.check('lifecycle').up(),
      ),
    );
    return this.health.check(checks);
  }
}
