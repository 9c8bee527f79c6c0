/**
 * The SQL expression that takes the transaction-scoped advisory lock of a record key (`keyParam` is a bound
 * parameter or column). One expression for every writer: `Transaction.lockKey`, a single append and a bulk
 * append must hash a key to the same lock, or they would not serialise with each other.
 */
export function keyLockSql(keyParam: string): string {
  return `pg_advisory_xact_lock(hashtextextended(${keyParam}, 0))`;
}
