import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { type Counter } from 'prom-client';
import { routeTemplate } from '../http/route-template';
import { MetricsService } from './metrics.service';

/**
 * The route label of HTTP metrics: the route template a request matched (`/v1/clients/:id`, never the concrete
 * path, so no id reaches a label and the label set stays small), or `unmatched` for a request no handler matched
 * or one refused before routing (malformed JSON, a body too large).
 */
export function metricRoute(request: Request): string {
  return routeTemplate(request) ?? 'unmatched';
}

/**
 * Error answers by problem code: the histogram's status code says how many requests failed, this says why
 * (`validation-failed`, `not-found`, `rate-limited`, …). Recorded by whoever writes the problem+json body
 * (`@stepwise/security`'s filter and early error handler), which is the only place the code is known.
 * Codes come from the problem catalogue, a bounded vocabulary.
 */
@Injectable()
export class HttpProblemMetrics {
  private readonly problems: Counter<'route' | 'status_code' | 'code'>;

  constructor(metrics: MetricsService) {
    this.problems = metrics.counter({
      name: 'stepwise_http_problems_total',
      help: 'Error answers (application/problem+json) by route template, status code and problem code',
      labelNames: ['route', 'status_code', 'code'],
    });
  }

  record(request: Request, status: number, code: string): void {
    this.problems.inc({ route: metricRoute(request), status_code: String(status), code });
  }
}
