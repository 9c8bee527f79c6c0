import { BadRequestException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { PROBLEM_CATALOGUE, PROBLEM_CODES, isProblemCode, problemType } from './problem-catalogue';
import { problemDocument } from './problem-document';
import { ProblemException } from './problem.exception';
import { toProblem } from './to-problem';

describe('problem catalogue', () => {
  it('gives every code a kebab-case name, a 4xx/5xx status and a title', () => {
    for (const code of PROBLEM_CODES) {
      expect(code).toMatch(/^[a-z]+(-[a-z]+)*$/);
      const { status, title } = PROBLEM_CATALOGUE[code];
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
      expect(title.length).toBeGreaterThan(5);
    }
    expect(new Set(PROBLEM_CODES.map(problemType)).size).toBe(PROBLEM_CODES.length);
  });

  it('keeps the codes clients branch on', () => {
    expect(PROBLEM_CODES).toEqual(
      expect.arrayContaining([
        'validation-failed',
        'token-missing',
        'token-expired',
        'permission-denied',
        'not-found',
        'idempotency-key-reused',
        'body-too-large',
        'rate-limited',
        'internal-error',
      ]),
    );
    expect(isProblemCode('not-found')).toBe(true);
    expect(isProblemCode('toString')).toBe(false);
  });

  it('renders an RFC 9457 document with the code, the request id and no empty members', () => {
    expect(problemDocument('not-found', 'req-1')).toEqual({
      type: 'urn:stepwise:problem:not-found',
      title: 'The resource does not exist',
      status: 404,
      code: 'not-found',
      requestId: 'req-1',
    });
    expect(
      problemDocument('validation-failed', 'req-2', {
        detail: 'One field is wrong',
        errors: [{ field: 'siteId', problems: ['siteId must be a UUID'] }],
      }),
    ).toMatchObject({ status: 400, detail: 'One field is wrong', errors: [{ field: 'siteId' }] });
  });
});

describe(toProblem.name, () => {
  it('keeps the code, detail and headers of a ProblemException', () => {
    expect(
      toProblem(
        new ProblemException('rate-limited', { detail: 'Slow down', headers: { 'Retry-After': '3' } }),
      ),
    ).toEqual({
      code: 'rate-limited',
      detail: 'Slow down',
      headers: { 'Retry-After': '3' },
      unexpected: false,
    });
  });

  it.each([
    [new ThrottlerException(), 'rate-limited'],
    [new NotFoundException('Cannot GET /v1/nothing'), 'route-not-found'],
    [new NotFoundException(), 'not-found'],
    [new BadRequestException('Validation failed (uuid is expected)'), 'bad-request'],
    [new PayloadTooLargeException(), 'body-too-large'],
    [
      Object.assign(new Error('request entity too large'), { type: 'entity.too.large', status: 413 }),
      'body-too-large',
    ],
    [
      Object.assign(new SyntaxError('Unexpected token'), { type: 'entity.parse.failed', status: 400 }),
      'malformed-json',
    ],
  ])('maps %p to %s', (error, code) => {
    expect(toProblem(error)).toMatchObject({ code, unexpected: false });
  });

  it.each([
    ['no pooled connection free in time', new Error('timeout exceeded when trying to connect')],
    [
      'the database refusing connections',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    ],
    ['too many connections', Object.assign(new Error('sorry, too many clients already'), { code: '53300' })],
    ['the database shutting down', Object.assign(new Error('terminating connection'), { code: '57P01' })],
  ])('answers %s as 503 service-unavailable with Retry-After, logged, without detail', (_, error) => {
    expect(toProblem(error)).toEqual({
      code: 'service-unavailable',
      headers: { 'Retry-After': '1' },
      unexpected: true,
    });
  });

  it('answers a query failing for other reasons as internal-error, not as unavailability', () => {
    const violation = Object.assign(new Error('duplicate key value'), { code: '23505' });
    expect(toProblem(violation)).toEqual({ code: 'internal-error', unexpected: true });
  });

  it('answers anything unexpected as internal-error without detail', () => {
    expect(toProblem(new TypeError('x is undefined'))).toEqual({ code: 'internal-error', unexpected: true });
    expect(toProblem('a string')).toEqual({ code: 'internal-error', unexpected: true });
  });
});
