import { type INestApplication, RequestMethod } from '@nestjs/common';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { HttpProblemMetrics, SERVICE_NAME, type ServiceConfig } from '@stepwise/platform';
import helmet from 'helmet';
import { ProblemFilter } from '../problems/problem.filter';
import { DEFAULT_JSON_LIMITS } from './json-shape';
import { setupOpenApi } from './openapi';
import { checkBodyShape, earlyErrorHandler, refuseNulInUrl, requireJsonBody } from './request-hygiene';
import { createValidationPipe } from './validation';

/** The API version prefix; operational endpoints and the API docs stay outside it. */
export const API_PREFIX = 'v1';

/** Headers a browser client may send and read when CORS_ORIGINS allows its origin. */
const CORS_REQUEST_HEADERS = [
  'Authorization',
  'Content-Type',
  'Idempotency-Key',
  'X-Request-Id',
  'traceparent',
];
const CORS_EXPOSED_HEADERS = ['X-Request-Id', 'Retry-After', 'Location', 'Idempotent-Replayed'];

/**
 * The HTTP conventions every service shares (architecture.md, "HTTP API"; quality.md, "Bad input"), applied
 * once by the bootstrap (`ServiceDefinition.configureHttp`). Express middleware order matters and is:
 * security headers → CORS → NUL check → JSON-only bodies → size-limited parser → shape checks → early error
 * handler; then Nest routes under /v1 with the guards of SecurityModule, the validation pipe and the
 * problem+json filter.
 */
export function configureHttp(app: INestApplication, config: ServiceConfig): void {
  const express = app as NestExpressApplication;
  const service = app.get<string>(SERVICE_NAME);
  const problems = app.get(HttpProblemMetrics);

  express.disable('x-powered-by');
  // Behind an ingress, `request.ip` (audit trail, rate limiting) is the client's address only if the
  // proxies' X-Forwarded-For entries are trusted — and only theirs: a count of hops, never "any".
  express.set('trust proxy', config.TRUST_PROXY_HOPS);
  express.use(helmet());
  if (config.CORS_ORIGINS.length > 0) {
    express.enableCors({
      origin: config.CORS_ORIGINS,
      credentials: false,
      allowedHeaders: CORS_REQUEST_HEADERS,
      exposedHeaders: CORS_EXPOSED_HEADERS,
      maxAge: 600,
    });
  }
  express.use(refuseNulInUrl);
  express.use(requireJsonBody);
  express.useBodyParser('json', {
    limit: `${config.HTTP_BODY_LIMIT_KB}kb`,
    strict: true,
    type: ['application/json', 'application/*+json'],
  });
  express.use(checkBodyShape(DEFAULT_JSON_LIMITS));
  express.use(earlyErrorHandler(problems));

  express.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/{*path}', method: RequestMethod.ALL },
      { path: 'metrics', method: RequestMethod.ALL },
      // The FHIR view's base is /fhir/r4 (its version is in the path already).
      { path: 'fhir/{*path}', method: RequestMethod.ALL },
    ],
  });
  express.useGlobalPipes(createValidationPipe());
  express.useGlobalFilters(new ProblemFilter(problems));
  setupOpenApi(app, service);
}
