import { HttpException } from '@nestjs/common';
import { PROBLEM_CATALOGUE, type ProblemCode } from './problem-catalogue';

/** A field-level validation message: which input (dotted path) and what is wrong with it. */
export interface FieldProblem {
  readonly field: string;
  readonly problems: string[];
}

export interface ProblemOptions {
  /** Human explanation of this occurrence. Never include client data: it may be logged and shown. */
  readonly detail?: string;
  readonly errors?: FieldProblem[];
  /** Response headers that belong to the problem (`Retry-After`, `WWW-Authenticate`). */
  readonly headers?: Record<string, string>;
}

/**
 * The one exception HTTP code throws for an expected failure: a code from the catalogue (which fixes the
 * status and title) plus optional detail. The exception filter renders it as application/problem+json.
 */
export class ProblemException extends HttpException {
  constructor(
    readonly code: ProblemCode,
    readonly problem: ProblemOptions = {},
  ) {
    super(problem.detail ?? PROBLEM_CATALOGUE[code].title, PROBLEM_CATALOGUE[code].status);
    this.name = 'ProblemException';
  }
}
