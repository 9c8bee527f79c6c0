import { Injectable, type OnModuleInit } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service';
import { ReadinessRegistry } from './readiness.registry';

/**
 * `stepwise_readiness{check}`: 1 when a readiness check passes, 0 when it fails — what `/health/ready`
 * answers, per check, run at scrape time the same way (ReadinessRegistry.evaluate). A probe's 503 only says
 * "not ready"; this says which dependency, on a dashboard and in an alert. A check that stopped being
 * registered disappears rather than keeping its last value.
 */
@Injectable()
export class ReadinessGauge implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    const readiness = this.readiness;
    this.metrics.gauge({
      name: 'stepwise_readiness',
      help: 'Readiness per check (database, kafka, redis, consumer, lifecycle): 1 passing, 0 failing',
      labelNames: ['check'] as const,
      async collect() {
        const results = await readiness.evaluate();
        this.reset();
        for (const result of results) this.set({ check: result.name }, result.up ? 1 : 0);
      },
    });
  }
}
