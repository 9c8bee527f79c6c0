import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ProblemException } from '../problems/problem.exception';
import { type ProblemCounter, sendProblem } from '../problems/problem.filter';
import { type JsonShapeLimits, checkJsonShape } from './json-shape';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Bodies are JSON or nothing: a write with another media type is refused (415) before anything reads it,
 * instead of arriving as an empty object that might pass validation.
 */
export function requireJsonBody(request: Request, _response: Response, next: NextFunction): void {
  if (WITH_BODY.has(request.method) && hasBody(request)) {
    const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
    if (!JSON_TYPE.test(type)) {
      next(new ProblemException('unsupported-media-type', { detail: 'Send the body as application/json' }));
      return;
    }
  }
  next();
}

/** Refuses parsed bodies that are too deep, hold too-long arrays, forbidden keys or NUL characters. */
export function checkBodyShape(limits: JsonShapeLimits) {
  return (request: Request, _response: Response, next: NextFunction): void => {
    const violation = checkJsonShape(request.body, limits);
    next(
      violation === undefined
        ? undefined
        : new ProblemException(violation.code, { detail: violation.detail }),
    );
  };
}

/** NUL characters in the path or query string are refused like those in a body. */
export function refuseNulInUrl(request: Request, _response: Response, next: NextFunction): void {
  const url = request.originalUrl;
  next(
    url.includes('\u0000') || /%00/.test(url)
      ? new ProblemException('invalid-character', { detail: 'The URL contains a NUL character' })
      : undefined,
  );
}

const logger = new Logger('HTTP');

/**
 * Express error handler for what fails before Nest routes the request (the body parser and the checks
 * above): answered as problem+json like every other error, never Express' HTML error page, and counted
 * like every other problem (under the route `unmatched`: no route was matched yet).
 */
export function earlyErrorHandler(counter?: ProblemCounter) {
  return (error: unknown, request: Request, response: Response, _next: NextFunction): void => {
    sendProblem(error, request, response, logger, counter);
  };
}
