/**
 * Every problem code an API of Stepwise answers with, in one place (RFC 9457 problem details with a `code`
 * extension). Codes are stable: clients branch on them, so a code is never renamed or reused for another
 * meaning — add a new one instead. Service issues add their domain codes here too, keeping one vocabulary.
 */
export const PROBLEM_CATALOGUE = {
  // 400: the request itself is wrong
  'validation-failed': { status: 400, title: 'The request is not valid' },
  'malformed-json': { status: 400, title: 'The request body is not valid JSON' },
  'body-too-deep': { status: 400, title: 'The request body is nested too deeply' },
  'array-too-long': { status: 400, title: 'An array in the request body has too many items' },
  'forbidden-key': { status: 400, title: 'The request body contains a forbidden property name' },
  'invalid-character': { status: 400, title: 'The request contains a NUL character' },
  'invalid-cursor': { status: 400, title: 'The page cursor is not valid' },
  'idempotency-key-invalid': { status: 400, title: 'The Idempotency-Key header is not valid' },
  'bad-request': { status: 400, title: 'The request cannot be processed' },
  // 401: who is calling is unknown
  'token-missing': { status: 401, title: 'A bearer token is required' },
  'token-malformed': { status: 401, title: 'The bearer token is malformed' },
  'token-expired': { status: 401, title: 'The bearer token has expired' },
  'token-not-yet-valid': { status: 401, title: 'The bearer token is not valid yet' },
  'token-signature-invalid': { status: 401, title: 'The bearer token signature is not valid' },
  'token-algorithm-rejected': {
    status: 401,
    title: 'The bearer token uses an algorithm that is not accepted',
  },
  'token-issuer-invalid': { status: 401, title: 'The bearer token was issued by an untrusted issuer' },
  'token-audience-invalid': { status: 401, title: 'The bearer token is meant for another audience' },
  'token-claims-invalid': { status: 401, title: 'The bearer token claims are not valid' },
  // 403: known caller, not allowed
  'permission-denied': { status: 403, title: 'Your role does not allow this action' },
  'consent-required': { status: 403, title: 'No consent in force allows this disclosure' },
  // 404: nothing there, or nothing there for you (another site's records answer this too)
  'not-found': { status: 404, title: 'The resource does not exist' },
  'route-not-found': { status: 404, title: 'No such route' },
  // 405
  'method-not-allowed': { status: 405, title: 'The method is not allowed on this resource' },
  // 409: conflicts with the current state
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  'idempotency-key-reused': {
    status: 409,
    title: 'The Idempotency-Key was already used with a different request',
  },
  'idempotency-request-in-progress': {
    status: 409,
    title: 'A request with this Idempotency-Key is still being processed',
  },
  'invalid-transition': { status: 409, title: 'The record cannot move to that state from its current one' },
  'episode-already-active': { status: 409, title: 'The client already has an active episode of care' },
  'note-signed': { status: 409, title: 'The note is signed and cannot change; add an addendum' },
  'attendance-locked': { status: 409, title: 'The session note is signed; its attendance cannot change' },
  'schedule-conflict': { status: 409, title: 'The facilitator or room is already booked at that time' },
  // 413, 415, 422, 429
  'body-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'The request body must be application/json' },
  unprocessable: { status: 422, title: 'The request breaks a rule of the domain' },
  'unknown-program-track': { status: 422, title: 'The program track is not known at that site' },
  'answers-out-of-range': { status: 422, title: "An answer is outside its item's range" },
  'override-reason-required': { status: 422, title: 'Overriding a recommendation needs a reason' },
  'webhook-destination-refused': {
    status: 422,
    title: 'The webhook URL is not https or leads to an address the service never posts to',
  },
  'consent-incomplete': { status: 422, title: 'The consent lacks an element 42 CFR 2.31 requires' },
  'contact-channel-missing': { status: 404, title: 'There is no contact for that channel' },
  'identical-note-sections': { status: 422, title: 'Individual note sections must differ per attendee' },
  'invalid-rule-set': { status: 422, title: 'The rule set breaks a rule of its own; no version was stored' },
  'level-change-not-allowed': { status: 422, title: 'The level change or transfer is not allowed there' },
  'note-sections-mismatch': { status: 422, title: 'The note needs one individual section per attendee' },
  'rate-limited': { status: 429, title: 'Too many requests; retry later' },
  // 5xx: our side
  'internal-error': { status: 500, title: 'Something went wrong on our side' },
  'auth-unavailable': { status: 503, title: 'The identity provider cannot be reached' },
  'service-unavailable': { status: 503, title: 'The service is temporarily unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEM_CATALOGUE;

export const PROBLEM_CODES = Object.keys(PROBLEM_CATALOGUE) as ProblemCode[];

/** The `type` URI of a problem: a stable, resolvable-free identifier (RFC 9457 §3.1.1). */
export function problemType(code: ProblemCode): string {
  return `urn:stepwise:problem:${code}`;
}

export function isProblemCode(value: unknown): value is ProblemCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(PROBLEM_CATALOGUE, value);
}
