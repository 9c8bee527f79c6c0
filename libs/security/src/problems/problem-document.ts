import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PROBLEM_CATALOGUE, PROBLEM_CODES, type ProblemCode, problemType } from './problem-catalogue';
import { type FieldProblem } from './problem.exception';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

class FieldProblemDocument implements FieldProblem {
  @ApiProperty({ example: 'startsAt' })
  field!: string;

  @ApiProperty({ type: [String], example: ['startsAt must be a valid ISO 8601 date string'] })
  problems!: string[];
}

/** The body of every error response (RFC 9457), as documented in OpenAPI. */
export class ProblemDocument {
  @ApiProperty({ example: 'urn:stepwise:problem:validation-failed' })
  type!: string;

  @ApiProperty({ example: 'The request is not valid' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiProperty({
    enum: PROBLEM_CODES,
    description: 'Stable machine-readable code; see libs/security/README.md',
  })
  code!: ProblemCode;

  @ApiPropertyOptional()
  detail?: string;

  @ApiProperty({ description: 'Correlation id of the request (also the X-Request-Id response header)' })
  requestId!: string;

  @ApiPropertyOptional({ type: [FieldProblemDocument] })
  errors?: FieldProblem[];
}

export function problemDocument(
  code: ProblemCode,
  requestId: string,
  extra: { detail?: string; errors?: FieldProblem[] } = {},
): ProblemDocument {
  const { status, title } = PROBLEM_CATALOGUE[code];
  return {
    type: problemType(code),
    title,
    status,
    code,
    ...(extra.detail !== undefined && extra.detail !== title ? { detail: extra.detail } : {}),
    requestId,
    ...(extra.errors !== undefined && extra.errors.length > 0 ? { errors: extra.errors } : {}),
  };
}
