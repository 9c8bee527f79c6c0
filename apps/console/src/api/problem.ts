/** One field the service found wrong, as problem+json's `errors[]` names it. */
export interface FieldProblem {
  field: string;
  problems: string[];
}

/** An API answer other than 2xx, read from its problem+json body (or only its status when it has none). */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail: string | undefined,
    readonly requestId: string | undefined,
    /** The fields the service named (`errors[]`: `givenName`, `answers.3`, `referrer.name`), each with its problems. */
    readonly fields: readonly FieldProblem[] = [],
  ) {
    super(detail ?? title);
    this.name = 'ApiProblem';
  }

  /** What a person reads: the plain meaning of the status, then the service's words. */
  get summary(): string {
    // A 409 with its own code (episode-already-active, invalid-transition) says itself what is wrong.
    const meaning =
      this.status === 409 && !GENERIC_CONFLICTS.has(this.code) ? undefined : STATUS_MEANINGS[this.status];
    return meaning === undefined ? this.message : `${meaning} ${this.message}`;
  }
}

const STATUS_MEANINGS: Record<number, string> = {
  401: 'Your sign-in has expired; sign in again.',
  403: 'Your role or sites do not allow this.',
  404: 'Not found (or not at your sites).',
  409: 'Someone changed this at the same time; reload and try again.',
  429: 'Too many requests; wait a moment.',
};

/** 409 codes that mean "changed meanwhile", not a rule of the domain. */
const GENERIC_CONFLICTS = new Set([
  'conflict',
  'http-409',
  'idempotency-key-reused',
  'idempotency-request-in-progress',
]);

/** Builds the problem from a response body (anything), never trusting its shape. */
export function problemFrom(status: number, body: unknown): ApiProblem {
  const doc = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const text = (key: string): string | undefined => (typeof doc[key] === 'string' ? doc[key] : undefined);
  const fields = fieldProblemsOf(doc['errors']);
  const detail =
    [text('detail'), ...fields.flatMap((f) => f.problems)].filter((s) => s !== undefined).join(' ') ||
    undefined;
  return new ApiProblem(
    status,
    text('code') ?? `http-${status}`,
    text('title') ?? `The request failed (${status})`,
    detail,
    text('requestId'),
    fields,
  );
}

/** `errors[]` as the services write it (`{field, problems[]}`); an entry of another shape is skipped. */
function fieldProblemsOf(errors: unknown): FieldProblem[] {
  if (!Array.isArray(errors)) return [];
  return errors.flatMap((e: unknown): FieldProblem[] => {
    if (typeof e !== 'object' || e === null) return [];
    const entry = e as Record<string, unknown>;
    const problems = Array.isArray(entry['problems'])
      ? entry['problems'].filter((p): p is string => typeof p === 'string')
      : typeof entry['message'] === 'string'
        ? [entry['message']]
        : [];
    const field = typeof entry['field'] === 'string' ? entry['field'] : '';
    return problems.length === 0 ? [] : [{ field, problems }];
  });
}
