/** The Postgres schema the scheduling service owns; no other service reads or writes it. */
export const SCHEDULING_SCHEMA = 'scheduling';

/** A table of the scheduling schema, quoted for SQL. */
export function table(name: string): string {
  return `"${SCHEDULING_SCHEMA}"."${name}"`;
}
