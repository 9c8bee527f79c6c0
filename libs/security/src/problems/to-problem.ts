import { HttpException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { isDatabaseUnavailable } from '@stepwise/platform';
import { type ProblemCode } from './problem-catalogue';
import { type FieldProblem, ProblemException } from './problem.exception';

export interface MappedProblem {
  readonly code: ProblemCode;
  readonly detail?: string;
  readonly errors?: FieldProblem[];
  readonly headers?: Record<string, string>;
  /** True for errors nobody expected (a bug or an outage): logged, and answered without any detail. */
  readonly unexpected: boolean;
}

const BY_STATUS: Partial<Record<number, ProblemCode>> = {
  400: 'bad-request',
  401: 'token-missing',
  403: 'permission-denied',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  413: 'body-too-large',
  415: 'unsupported-media-type',
  422: 'unprocessable',
  429: 'rate-limited',
  503: 'service-unavailable',
};

/** Errors raised by Express' body parser carry a `type`; these are the client's fault. */
const BODY_PARSER: Record<string, ProblemCode> = {
  'entity.too.large': 'body-too-large',
  'entity.parse.failed': 'malformed-json',
  'encoding.unsupported': 'unsupported-media-type',
  'charset.unsupported': 'unsupported-media-type',
  'entity.verify.failed': 'bad-request',
  'request.aborted': 'bad-request',
  'request.size.invalid': 'bad-request',
};

function bodyParserType(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const type = (error as { type?: unknown }).type;
  return typeof type === 'string' ? type : undefined;
}

/**
 * Maps anything thrown while serving a request to a catalogue code. Expected failures keep their detail;
 * everything else becomes `internal-error` with no detail at all, so no stack trace, SQL or client data
 * ever reaches a response.
 */
export function toProblem(error: unknown): MappedProblem {
  if (error instanceof ProblemException) {
    return {
      code: error.code,
      ...(error.problem.detail !== undefined ? { detail: error.problem.detail } : {}),
      ...(error.problem.errors !== undefined ? { errors: error.problem.errors } : {}),
      ...(error.problem.headers !== undefined ? { headers: error.problem.headers } : {}),
      unexpected: false,
    };
  }
  if (error instanceof ThrottlerException) return { code: 'rate-limited', unexpected: false };
  const parserCode = BODY_PARSER[bodyParserType(error) ?? ''];
  if (parserCode !== undefined) return { code: parserCode, unexpected: false };
  if (error instanceof HttpException) {
    const status = error.getStatus();
    // Nest's router answers unknown paths with NotFoundException("Cannot GET /path").
    if (status === 404 && error.message.startsWith('Cannot '))
      return { code: 'route-not-found', unexpected: false };
    const code = BY_STATUS[status] ?? (status >= 500 ? 'internal-error' : 'bad-request');
    return { code, unexpected: status >= 500 && status !== 503 };
  }
  // Logged like any unexpected failure, but the client is told to come back: nothing of its request was kept.
  if (isDatabaseUnavailable(error))
    return { code: 'service-unavailable', headers: { 'Retry-After': '1' }, unexpected: true };
  return { code: 'internal-error', unexpected: true };
}
