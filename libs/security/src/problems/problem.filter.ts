import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { type HttpProblemMetrics } from '@stepwise/platform';
import { FHIR_BASE_PATH, FHIR_JSON, issueOfStatus, operationOutcome } from '@stepwise/fhir';
import type { Request, Response } from 'express';
import { PROBLEM_CONTENT_TYPE, type ProblemDocument, problemDocument } from './problem-document';
import { toProblem } from './to-problem';

/** The correlation id pino-http gave the request (set before any other middleware runs). */
export function requestIdOf(request: Request): string {
  const id = (request as Request & { id?: unknown }).id;
  return typeof id === 'string' ? id : String(id ?? 'unknown');
}

/** Where an answered problem is counted (`stepwise_http_problems_total`); absent in apps without metrics. */
export type ProblemCounter = Pick<HttpProblemMetrics, 'record'>;

/**
 * Writes any error as application/problem+json. Shared by the global exception filter and by the Express
 * error handler that catches what fails before Nest routes a request (body too large, malformed JSON).
 */
export function sendProblem(
  error: unknown,
  request: Request,
  response: Response,
  logger: Logger,
  counter?: ProblemCounter,
): void {
  const problem = toProblem(error);
  if (problem.unexpected) {
    // The logger masks client data and reduces database errors to their SQLSTATE.
    logger.error(
      { err: error instanceof Error ? error : new Error(String(error)), requestId: requestIdOf(request) },
      'Unexpected error',
    );
  }
  if (response.headersSent) {
    response.end();
    return;
  }
  const body = problemDocument(problem.code, requestIdOf(request), {
    ...(problem.unexpected ? {} : { detail: problem.detail, errors: problem.errors }),
  });
  for (const [name, value] of Object.entries(problem.headers ?? {})) response.setHeader(name, value);
  counter?.record(request, body.status, body.code);
  if (isFhirPath(request.path)) {
    response
      .status(body.status)
      .type(FHIR_JSON)
      .send(JSON.stringify(fhirOutcome(body)));
    return;
  }
  response.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

/** FHIR clients expect errors as an OperationOutcome: the FHIR view answers with one (same status and code). */
const isFhirPath = (path: string): boolean =>
  path === FHIR_BASE_PATH || path.startsWith(`${FHIR_BASE_PATH}/`);

function fhirOutcome(problem: ProblemDocument): ReturnType<typeof operationOutcome> {
  const fields = (problem.errors ?? []).flatMap((error) => error.problems);
  const diagnostics = [problem.detail ?? problem.title, ...fields].join('; ');
  return operationOutcome(issueOfStatus(problem.status), diagnostics, problem.code);
}

/**
 * Health checks keep Terminus' own body (`status`, `details` per dependency): load balancers, operators and
 * the readiness tests read it, and it holds no client data.
 */
const OWN_FORMAT = /^\/health\//;

/** Every error a route raises, answered in one shape with a catalogue code. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly counter?: ProblemCounter) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    if (error instanceof HttpException && OWN_FORMAT.test(request.path) && !response.headersSent) {
      response.status(error.getStatus()).json(error.getResponse());
      return;
    }
    sendProblem(error, request, response, this.logger, this.counter);
  }
}
