/**
 * Keeps protected health information out of logs (architecture.md, "Observability"; quality.md, "Security and
 * privacy"). Two nets: values under keys that name client data are replaced whatever their content, at any
 * depth; and every string that reaches a log line (messages included) has e-mail addresses, phone numbers and
 * social security numbers masked by pattern. Names and birth dates cannot be recognised by pattern, which is
 * why code logs ids, never records, and why error texts from the database are not logged verbatim.
 */

export const REDACTED = '[REDACTED]';

/** Keys (compared lower-case, without `_`/`-`) whose values are client data in any record of any service. */
const PHI_KEYS = new Set([
  // names
  'name',
  'firstname',
  'lastname',
  'middlename',
  'fullname',
  'givenname',
  'familyname',
  'preferredname',
  'displayname',
  'legalname',
  'maidenname',
  'nickname',
  'surname',
  'clientname',
  'patientname',
  'contactname',
  'emergencycontact',
  // birth dates
  'dob',
  'dateofbirth',
  'birthdate',
  'birthday',
  // contact details
  'phone',
  'phonenumber',
  'mobile',
  'telephone',
  'tel',
  'email',
  'emailaddress',
  'address',
  'postaladdress',
  'homeaddress',
  'street',
  'streetaddress',
  'addressline1',
  'addressline2',
  'line1',
  'line2',
  'city',
  'postalcode',
  'postcode',
  'zip',
  'zipcode',
  'ssn',
  // free text
  'note',
  'notes',
  'notetext',
  'text',
  'body',
  'narrative',
  'comment',
  'comments',
  'content',
  'addendum',
  'summary',
  'description',
  'reason',
  // credentials that must never be logged either
  'authorization',
  'cookie',
  'password',
  'token',
]);

/** Key suffixes that mark client data whatever the prefix (`clientEmail`, `homePhone`, `sessionNote`). */
const PHI_SUFFIXES = [
  'email',
  'phone',
  'phonenumber',
  'address',
  'birthdate',
  'dateofbirth',
  'note',
  'notes',
];

export function isPhiKey(key: string): boolean {
  const normalised = key.toLowerCase().replace(/[_\-\s]/g, '');
  return PHI_KEYS.has(normalised) || PHI_SUFFIXES.some((suffix) => normalised.endsWith(suffix));
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
// A phone number: optional country code, then 3-3-4 digits with optional separators or parentheses. The
// look-arounds keep it from matching inside UUIDs, hex ids or longer digit runs.
const PHONE = /(?<![\w-])(?:\+?\d{1,3}[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-]?)\d{3}[\s.-]?\d{4}(?![\w-])/g;
const SSN = /(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])/g;

/** Masks e-mail addresses, phone numbers and SSNs inside free text. */
export function scrubText(text: string): string {
  return text.replace(EMAIL, '[email]').replace(SSN, '[ssn]').replace(PHONE, '[phone]');
}

/** Postgres' SQLSTATE: five digits or upper-case letters. */
const SQLSTATE = /^[0-9A-Z]{5}$/;

interface ErrorLike extends Error {
  code?: unknown;
  table?: unknown;
  constraint?: unknown;
  column?: unknown;
}

/**
 * An error reduced to what is safe to log. Database errors keep their SQLSTATE and the names of the
 * table, column and constraint, never their text: Postgres quotes the offending value in messages such as
 * `invalid input syntax for type uuid: "…"`, and drivers attach the query parameters.
 */
export function safeError(error: Error): Record<string, unknown> {
  const e = error as ErrorLike;
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code !== undefined && SQLSTATE.test(code)) {
    const message = `database error ${code}`;
    const frames = (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
    return {
      type: error.name,
      message,
      code,
      ...(typeof e.table === 'string' ? { table: e.table } : {}),
      ...(typeof e.column === 'string' ? { column: e.column } : {}),
      ...(typeof e.constraint === 'string' ? { constraint: e.constraint } : {}),
      stack: [`${error.name}: ${message}`, ...frames].join('\n'),
    };
  }
  return {
    type: error.name,
    message: scrubText(error.message),
    ...(code !== undefined ? { code: scrubText(code) } : {}),
    stack: scrubText(error.stack ?? ''),
  };
}

const MAX_DEPTH = 10;

/**
 * A copy of `value` safe to log: client-data keys masked at any depth, strings scrubbed, errors reduced,
 * cycles and very deep structures cut. `passThrough` names top-level keys left to dedicated serializers
 * (the HTTP request and response objects, which the serializers reduce to a few safe fields).
 */
export function maskPhi(value: unknown, passThrough: ReadonlySet<string> = new Set()): unknown {
  const seen = new WeakSet<object>();
  const walk = (current: unknown, depth: number, top: boolean): unknown => {
    if (typeof current === 'string') return scrubText(current);
    if (current === null || typeof current !== 'object') return current;
    if (current instanceof Date) return current;
    if (current instanceof Error) return safeError(current);
    if (Buffer.isBuffer(current) || ArrayBuffer.isView(current)) return '[binary]';
    if (seen.has(current)) return '[Circular]';
    if (depth > MAX_DEPTH) return '[Truncated]';
    seen.add(current);
    if (Array.isArray(current)) return current.map((item) => walk(item, depth + 1, false));
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(current)) {
      if (top && passThrough.has(key)) copy[key] = item;
      else copy[key] = isPhiKey(key) ? REDACTED : walk(item, depth + 1, false);
    }
    return copy;
  };
  return walk(value, 0, true);
}
