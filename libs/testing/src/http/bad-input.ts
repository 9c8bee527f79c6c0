import { randomUUID } from 'node:crypto';
import { http, type HttpResult } from './http-client';

/** One bad request and the answer it must get. */
export interface BadInputCase {
  readonly name: string;
  /** The body, serialised as JSON; or `raw` text sent as is. */
  readonly json?: unknown;
  readonly raw?: string;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
  /** Path to use instead of the route's (malformed ids, another site's ids). */
  readonly path?: string;
  readonly status: number;
  /** The problem code expected; any catalogue code when omitted. */
  readonly code?: ProblemCode;
}

/** The write route under test, as known when the spec file is loaded. */
export interface BadInputRoute {
  readonly method: 'POST' | 'PUT' | 'PATCH';
  readonly path: string;
  /** A body the route accepts; the catalogue derives most of its cases from it. */
  readonly validBody: Record<string, unknown>;
  /** Top-level fields that may be omitted (every other field of validBody is required). */
  readonly optional?: readonly string[];
  /** Fields holding an enum value: an unknown value must be refused. */
  readonly enums?: readonly string[];
  /** Server-controlled fields the body must never set (default: id, network, networkId, createdBy, …). */
  readonly serverFields?: readonly string[];
  /** Whether the route honours Idempotency-Key (adds the reused-key case). */
  readonly idempotent?: boolean;
  /** Route-specific cases: end before start, another site's ids, impossible states. */
  readonly extraCases?: readonly BadInputCase[];
}

/** What exists only once the app runs (resolved inside each test). */
export interface BadInputContext {
  readonly baseUrl: string;
  /** A token whose principal may use the route, so every refusal is about the input. */
  readonly token: string;
  /** Counts what the route writes (rows of its tables, events in its outbox): must not change. */
  readonly countWrites: () => Promise<number>;
}

/**
 * A problem code as libs/security's catalogue spells them. This library stays independent of
 * @stepwise/security (whose own tests use it), so the exact code is what each case asserts.
 */
export type ProblemCode = string;
const PROBLEM_CODE = /^[a-z]+(-[a-z]+)*$/;

const SERVER_FIELDS = ['id', 'network', 'networkId', 'createdBy', 'createdAt', 'updatedAt', 'status'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T/;

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i += 1) value = { level: value };
  return value;
}

function wrongTypes(value: unknown): unknown[] {
  if (typeof value === 'string') return [12345, true, { value }, [value]];
  if (typeof value === 'number') return [String(value), true, { value }];
  if (typeof value === 'boolean') return [String(value), 1];
  if (Array.isArray(value)) return ['not-an-array', { value }];
  if (value !== null && typeof value === 'object') return ['not-an-object', [value]];
  return [];
}

/**
 * The bad-input catalogue of quality.md ("Bad input") for one write route, derived from a valid body:
 * malformed, empty, null and array bodies; wrong media type; missing, extra and server-controlled fields;
 * wrong types, NUL characters, oversized strings, malformed UUIDs, impossible dates and unknown enum values
 * per field; forbidden keys, deep nesting, long arrays and an oversized body; plus the route's own cases.
 */
export function badInputCases(target: BadInputRoute): BadInputCase[] {
  const body = target.validBody;
  const optional = new Set(target.optional ?? []);
  const required = Object.keys(body).filter((field) => !optional.has(field));
  const cases: BadInputCase[] = [
    { name: 'malformed JSON', raw: '{"unterminated": ', status: 400, code: 'malformed-json' },
    { name: 'a JSON null body', raw: 'null', status: 400, code: 'malformed-json' },
    { name: 'an array instead of an object', json: [body], status: 400, code: 'validation-failed' },
    {
      name: 'a non-JSON media type',
      raw: 'field=value',
      contentType: 'text/plain',
      status: 415,
      code: 'unsupported-media-type',
    },
    {
      name: 'a form-encoded body',
      raw: 'field=value',
      contentType: 'application/x-www-form-urlencoded',
      status: 415,
      code: 'unsupported-media-type',
    },
    {
      name: 'an unknown property',
      json: { ...body, unexpectedProperty: 'x' },
      status: 400,
      code: 'validation-failed',
    },
    {
      name: 'a __proto__ key',
      raw: JSON.stringify(body).replace(/^\{/, '{"__proto__":{"isAdmin":true},'),
      status: 400,
      code: 'forbidden-key',
    },
    {
      name: 'a constructor key',
      raw: JSON.stringify(body).replace(/^\{/, '{"constructor":{"prototype":{}},'),
      status: 400,
      code: 'forbidden-key',
    },
    {
      name: 'nesting 40 levels deep',
      json: { ...body, deep: nested(40) },
      status: 400,
      code: 'body-too-deep',
    },
    {
      name: 'an array of 5000 items',
      json: { ...body, many: new Array<number>(5_000).fill(1) },
      status: 400,
      code: 'array-too-long',
    },
    {
      name: 'a body over 100 KB',
      json: { ...body, padding: 'x'.repeat(101 * 1024) },
      status: 413,
      code: 'body-too-large',
    },
  ];
  if (required.length > 0)
    cases.push({ name: 'an empty body', raw: '', status: 400, code: 'validation-failed' });
  if (required.length > 0)
    cases.push({ name: 'an empty object', json: {}, status: 400, code: 'validation-failed' });
  for (const field of target.serverFields ?? SERVER_FIELDS) {
    if (field in body) continue;
    const value = field.endsWith('At')
      ? new Date().toISOString()
      : field === 'status'
        ? 'approved'
        : randomUUID();
    cases.push({
      name: `the server-controlled field ${field}`,
      json: { ...body, [field]: value },
      status: 400,
      code: 'validation-failed',
    });
  }
  for (const field of required) {
    const { [field]: _omitted, ...rest } = body;
    cases.push({ name: `${field} missing`, json: rest, status: 400, code: 'validation-failed' });
    cases.push({
      name: `${field} null`,
      json: { ...body, [field]: null },
      status: 400,
      code: 'validation-failed',
    });
  }
  for (const [field, value] of Object.entries(body)) {
    for (const wrong of wrongTypes(value)) {
      cases.push({
        name: `${field} as ${Array.isArray(wrong) ? 'array' : typeof wrong} (${JSON.stringify(wrong).slice(0, 20)})`,
        json: { ...body, [field]: wrong },
        status: 400,
        code: 'validation-failed',
      });
    }
    if (typeof value !== 'string') continue;
    cases.push({
      name: `${field} with a NUL character`,
      json: { ...body, [field]: `${value}\u0000x` },
      status: 400,
      code: 'invalid-character',
    });
    cases.push({
      name: `${field} of 20 000 characters`,
      json: { ...body, [field]: 'a'.repeat(20_000) },
      status: 400,
      code: 'validation-failed',
    });
    if (UUID.test(value)) {
      for (const bad of ['not-a-uuid', `${value}0`, value.replace(/-/g, '')]) {
        cases.push({
          name: `${field} malformed (${bad.slice(0, 12)}…)`,
          json: { ...body, [field]: bad },
          status: 400,
          code: 'validation-failed',
        });
      }
    }
    if (DATE.test(value) || DATE_TIME.test(value)) {
      const time = DATE_TIME.test(value) ? 'T10:00:00Z' : '';
      for (const bad of [`2025-02-30${time}`, `2025-13-01${time}`, 'yesterday', `${value}junk`]) {
        cases.push({
          name: `${field} invalid date ${bad}`,
          json: { ...body, [field]: bad },
          status: 400,
          code: 'validation-failed',
        });
      }
    }
  }
  for (const field of target.enums ?? []) {
    cases.push({
      name: `${field} unknown enum value`,
      json: { ...body, [field]: 'not-a-known-value' },
      status: 400,
      code: 'validation-failed',
    });
  }
  return [...cases, ...(target.extraCases ?? [])];
}

/** Asserts one answer: the expected 4xx in problem+json with a catalogue code, and no stack trace. */
export function expectProblem(result: HttpResult, status: number, code?: ProblemCode): void {
  const body = result.body as { code?: unknown; status?: unknown; stack?: unknown };
  expect({ status: result.status, code: body.code }).toEqual({ status, code: code ?? body.code });
  expect(result.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(body.code).toMatch(PROBLEM_CODE);
  expect((body as { type?: unknown }).type).toBe(`urn:stepwise:problem:${String(body.code)}`);
  expect(body.status).toBe(status);
  expect(body).not.toHaveProperty('stack');
  expect(result.text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
}

async function send(route: BadInputRoute, context: BadInputContext, item: BadInputCase): Promise<HttpResult> {
  return http(`${context.baseUrl}${item.path ?? route.path}`, {
    method: route.method,
    token: context.token,
    ...(item.json !== undefined ? { json: item.json } : {}),
    ...(item.raw !== undefined ? { raw: item.raw } : {}),
    ...(item.contentType !== undefined ? { contentType: item.contentType } : {}),
    headers: { ...item.headers },
  });
}

/**
 * Fires the bad-input catalogue at one write route of a running app: each case must get its specific 4xx
 * problem+json and write nothing. Every service issue uses it on every write route:
 *
 *   describeBadInput(
 *     { method: 'POST', path: '/v1/referrals', validBody, enums: ['source'], idempotent: true },
 *     () => ({ baseUrl: app.url, token, countWrites: () => count('referrals') }),
 *   );
 */
export function describeBadInput(route: BadInputRoute, context: () => BadInputContext): void {
  describe(`${route.method} ${route.path} refuses bad input`, () => {
    it.each(badInputCases(route).map((item) => [item.name, item] as const))(
      'answers %s with a specific 4xx and writes nothing',
      async (_name, item) => {
        const current = context();
        const before = await current.countWrites();
        const result = await send(route, current, item);
        expectProblem(result, item.status, item.code);
        expect(await current.countWrites()).toBe(before);
      },
    );

    if (route.idempotent === true) {
      it('answers a reused Idempotency-Key with a different body 409 and writes nothing the second time', async () => {
        const current = context();
        const key = randomUUID();
        const first = await send(route, current, {
          name: 'first',
          json: route.validBody,
          headers: { 'Idempotency-Key': key },
          status: 201,
        });
        expect(first.status).toBeLessThan(300);
        const before = await current.countWrites();
        const reused = await send(route, current, {
          name: 'reused',
          json: { ...route.validBody, idempotencyProbe: randomUUID() },
          headers: { 'Idempotency-Key': key },
          status: 409,
        });
        expectProblem(reused, 409, 'idempotency-key-reused');
        expect(await current.countWrites()).toBe(before);
      });
    }
  });
}
