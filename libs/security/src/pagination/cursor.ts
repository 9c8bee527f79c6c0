import { ProblemException } from '../problems/problem.exception';

/** A position in a keyset-ordered list: the sort-key values of the last item of the previous page. */
export type CursorKey = readonly (string | number)[];

const MAX_CURSOR_LENGTH = 512;

/**
 * Encodes a keyset position as an opaque token (base64url JSON). Opaque means clients pass it back
 * unchanged and never build one; it carries sort keys (timestamps, ids), never client data.
 */
export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify({ v: 1, k: key }), 'utf8').toString('base64url');
}

/** Decodes a cursor of `arity` keys; anything else is the client's mistake: 400 invalid-cursor. */
export function decodeCursor(cursor: string, arity: number): CursorKey {
  const invalid = (): ProblemException =>
    new ProblemException('invalid-cursor', {
      detail: 'Pass back the nextCursor of the previous page unchanged',
    });
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor))
    throw invalid();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const key = (decoded as { v?: unknown; k?: unknown } | null)?.k;
  if (
    (decoded as { v?: unknown } | null)?.v !== 1 ||
    !Array.isArray(key) ||
    key.length !== arity ||
    !key.every((part) => typeof part === 'string' || (typeof part === 'number' && Number.isFinite(part)))
  ) {
    throw invalid();
  }
  return key as CursorKey;
}

/**
 * SQL for a timestamptz column as a cursor key: UTC with microseconds. Postgres keeps microseconds and a JS
 * Date only milliseconds, so a cursor built from a Date would repeat (or skip) rows on the next page.
 */
export function timestampKey(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}
