/** An API answer other than 2xx, read from its problem+json body (or only its status when it has none). */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail: string | undefined,
    readonly requestId: string | undefined,
  ) {
    super(detail ?? title);
    this.name = 'ApiProblem';
  }

  /** What a person reads: the plain meaning of the status, then the service's words. */
  get summary(): string {
    const meaning = STATUS_MEANINGS[this.status];
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

/** Builds the problem from a response body (anything), never trusting its shape. */
export function problemFrom(status: number, body: unknown): ApiProblem {
  const doc = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const text = (key: string): string | undefined => (typeof doc[key] === 'string' ? doc[key] : undefined);
  const fieldErrors = Array.isArray(doc['errors'])
    ? doc['errors']
        .map((e: unknown) =>
          typeof e === 'object' && e !== null && typeof (e as Record<string, unknown>)['message'] === 'string'
            ? String((e as Record<string, unknown>)['message'])
            : undefined,
        )
        .filter((m): m is string => m !== undefined)
    : [];
  const detail = [text('detail'), ...fieldErrors].filter((s) => s !== undefined).join(' ') || undefined;
  return new ApiProblem(
    status,
    text('code') ?? `http-${status}`,
    text('title') ?? `The request failed (${status})`,
    detail,
    text('requestId'),
  );
}
