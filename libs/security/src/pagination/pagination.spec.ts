import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ProblemException } from '../problems/problem.exception';
import { decodeCursor, encodeCursor } from './cursor';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageQuery, pageLimit, toPage } from './page';

const problemCode = (work: () => unknown): string | undefined => {
  try {
    work();
    return undefined;
  } catch (error) {
    return error instanceof ProblemException ? error.code : 'other';
  }
};

describe('cursor', () => {
  it('round-trips a keyset position as an opaque URL-safe token', () => {
    const cursor = encodeCursor(['2025-01-01T00:00:00.000000Z', '0193a0c4-0000-7000-8000-000000000001']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, 2)).toEqual([
      '2025-01-01T00:00:00.000000Z',
      '0193a0c4-0000-7000-8000-000000000001',
    ]);
  });

  it.each([
    ['not base64url', 'a+b/c='],
    ['not JSON', Buffer.from('{oops').toString('base64url')],
    ['the wrong version', Buffer.from(JSON.stringify({ v: 2, k: ['a', 'b'] })).toString('base64url')],
    ['the wrong arity', encodeCursor(['a'])],
    ['objects as keys', Buffer.from(JSON.stringify({ v: 1, k: [{}, 'b'] })).toString('base64url')],
    ['an empty string', ''],
    ['an oversized token', 'a'.repeat(600)],
  ])('refuses %s with invalid-cursor', (_what, cursor) => {
    expect(problemCode(() => decodeCursor(cursor, 2))).toBe('invalid-cursor');
  });
});

describe(PageQuery.name, () => {
  const errors = (query: Record<string, string>): string[] =>
    validateSync(plainToInstance(PageQuery, query)).flatMap((e) => Object.values(e.constraints ?? {}));

  it('defaults the limit and accepts 1..MAX', () => {
    expect(pageLimit(plainToInstance(PageQuery, {}))).toBe(DEFAULT_PAGE_SIZE);
    expect(errors({ limit: '1' })).toEqual([]);
    expect(errors({ limit: String(MAX_PAGE_SIZE) })).toEqual([]);
  });

  it.each(['0', '-1', '1000000000', '101', '2.5', 'ten'])('refuses limit=%s', (limit) => {
    expect(errors({ limit }).length).toBeGreaterThan(0);
  });

  it('refuses a cursor that is not a token', () => {
    expect(errors({ cursor: '../etc' })).toEqual(['cursor must be the nextCursor of a previous page']);
  });
});

describe(toPage.name, () => {
  const rows = [1, 2, 3].map((n) => ({ id: `id-${n}`, at: n }));

  it('returns limit items and a cursor after the last when one more row exists', () => {
    const page = toPage(
      rows,
      2,
      (r) => [r.at, r.id],
      (r) => r.id,
    );
    expect(page.items).toEqual(['id-1', 'id-2']);
    expect(decodeCursor(page.nextCursor ?? '', 2)).toEqual([2, 'id-2']);
  });

  it('ends with a null cursor', () => {
    expect(
      toPage(
        rows,
        3,
        (r) => [r.at, r.id],
        (r) => r.id,
      ),
    ).toEqual({ items: ['id-1', 'id-2', 'id-3'], nextCursor: null });
  });
});
