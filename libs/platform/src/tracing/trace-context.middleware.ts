import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import {
  activeSpanTraceparent,
  childTraceparent,
  newTraceparent,
  parseTraceparent,
  runWithTraceparent,
} from './trace-context';

/**
 * Continues the caller's W3C trace (or starts one) for the whole request, and tells the caller which trace
 * the request belongs to, so a support ticket can quote it. With tracing on, that is the request's span
 * (the HTTP instrumentation has already continued the caller's trace).
 */
@Injectable()
export class TraceContextMiddleware implements NestMiddleware {
  use(request: Request, response: Response, next: NextFunction): void {
    const incoming = request.header('traceparent');
    const traceparent =
      activeSpanTraceparent() ??
      (parseTraceparent(incoming) !== undefined ? childTraceparent(incoming ?? '') : newTraceparent());
    response.setHeader('traceparent', traceparent);
    runWithTraceparent(traceparent, next);
  }
}
