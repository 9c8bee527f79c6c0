import { Global, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { TraceContextMiddleware } from '../tracing/trace-context.middleware';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { HttpProblemMetrics } from './http-problems';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/** Prometheus metrics and per-request trace context for every service. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, HttpProblemMetrics],
  exports: [MetricsService, HttpProblemMetrics],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(TraceContextMiddleware, HttpMetricsMiddleware).forRoutes('{*path}');
  }
}
