import { type EntityManager } from 'typeorm';

/**
 * The SQL expression that takes the transaction-scoped advisory lock of a record key (`keyParam` is a bound
 * parameter or column). One expression for every writer: `Transaction.lockKey`, a single append and a bulk
 * append must hash a key to the same lock, or they would not serialise with each other.
 */
export function keyLockSql(keyParam: string): string {
  return `pg_advisory_xact_lock(hashtextextended(${keyParam}, 0))`;
}

/**
 * A data-modifying statement with a `RETURNING` clause (its parameters numbered from `$1`), made in the same
 * statement before the locks.
 */
export interface StatementBeforeLocks {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

/**
 * Takes the locks of many keys in one statement, in sorted key order: two writers with overlapping keys then
 * queue at the first key they share, rather than each holding a key the other waits for (a deadlock).
 * `ORDER BY n` makes the sorted order the order of locking.
 *
 * `before` is made first, in the same statement (one round trip), for a writer that must write something
 * before it waits for a lock: its CTE is read by a condition that names no row of the keys, which Postgres
 * evaluates once before the first key is taken (a one-time filter), so the whole of it is done by then.
 */
export async function lockKeys(
  manager: EntityManager,
  keys: Iterable<string>,
  before?: StatementBeforeLocks,
): Promise<void> {
  const sorted = [...new Set(keys)].sort();
  if (sorted.length === 0 && before === undefined) return;
  const locks = `$${(before?.parameters.length ?? 0) + 1}::text[]`;
  await manager.query(
    `${before === undefined ? '' : `WITH before AS (${before.sql}) `}SELECT count(*) FROM (
       SELECT ${keyLockSql('k')} FROM unnest(${locks}) WITH ORDINALITY AS t(k, n)
        ${before === undefined ? '' : 'WHERE (SELECT count(*) FROM before) >= 0'} ORDER BY n) AS held`,
    [...(before?.parameters ?? []), sorted],
  );
}
