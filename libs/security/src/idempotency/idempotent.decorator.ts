import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiConflictResponse, ApiHeader } from '@nestjs/swagger';
import { ProblemDocument } from '../problems/problem-document';

export const IDEMPOTENT_ROUTE = 'stepwise:idempotent-route';

/**
 * Marks a creating POST as honouring `Idempotency-Key`: a retry with the same key and the same body gets
 * the first response again (status and body, header `Idempotent-Replayed: true`) without running twice;
 * the same key with a different body answers 409 idempotency-key-reused. Keys are per principal and kept
 * IDEMPOTENCY_TTL_HOURS. Without the header the route behaves normally.
 */
export function Idempotent(): MethodDecorator {
  return applyDecorators(
    SetMetadata(IDEMPOTENT_ROUTE, true),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'A unique key per intended creation (e.g. a UUID); 1–255 visible ASCII characters',
    }),
    ApiConflictResponse({
      description: 'Idempotency-Key reused with a different body, or still in progress',
      type: ProblemDocument,
    }),
  );
}
