import { ParseUUIDPipe, ValidationPipe, type ValidationError } from '@nestjs/common';
import { type ProblemCode } from '../problems/problem-catalogue';
import { type FieldProblem, ProblemException } from '../problems/problem.exception';

/** class-validator's nested errors as one list of dotted fields, each with its messages (never the value). */
export function fieldProblemsOf(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix === '' ? error.property : `${prefix}.${error.property}`;
    const own = Object.values(error.constraints ?? {});
    return [
      ...(own.length > 0 ? [{ field, problems: own }] : []),
      ...fieldProblemsOf(error.children ?? [], field),
    ];
  });
}

/**
 * The validation every route gets: DTO classes are the whitelist. Unknown properties (including
 * server-controlled ones such as id, network, createdBy, createdAt, status, which no input DTO declares)
 * are refused with 400 rather than silently dropped, so a client learns at once that they have no effect.
 * Messages name the field and the rule, never the value. A route whose body is domain data (a rule set) uses
 * its own instance with a 422 problem and the body's class as `expectedType`.
 */
export function createValidationPipe(
  options: { readonly problem?: ProblemCode; readonly expectedType?: new () => object } = {},
): ValidationPipe {
  return new ValidationPipe({
    ...(options.expectedType === undefined ? {} : { expectedType: options.expectedType }),
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors: ValidationError[]) =>
      new ProblemException(options.problem ?? 'validation-failed', { errors: fieldProblemsOf(errors) }),
  });
}

/** `@Param('id', ParseIdPipe)`: a malformed UUID in a path is a validation problem (400), not a lookup. */
export const ParseIdPipe = new ParseUUIDPipe({
  exceptionFactory: () =>
    new ProblemException('validation-failed', { detail: 'The id in the path must be a UUID' }),
});
