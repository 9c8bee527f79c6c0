import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { type Histogram } from 'prom-client';
import { metricRoute } from './http-problems';
import { MetricsService } from './metrics.service';

/**
 * HTTP RED metrics: one histogram gives rate (count), errors (status code) and duration. The route label is
 * the route template (`/v1/clients/:id`), never the concrete path, so no id reaches a label and the label
 * set stays small; requests that match no route share one label.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  private readonly duration: Histogram<'method' | 'route' | 'status_code'>;

  constructor(metrics: MetricsService) {
    this.duration = metrics.histogram({
      name: 'http_server_request_duration_seconds',
      help: 'Duration of HTTP requests served, by method, route template and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
  }

  use(request: Request, response: Response, next: NextFunction): void {
    const end = this.duration.startTimer();
    response.once('finish', () => {
      end({
        method: request.method,
        route: metricRoute(request),
        status_code: String(response.statusCode),
      });
    });
    next();
  }
}
