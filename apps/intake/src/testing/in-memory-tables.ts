import { type SiteOwnedRow } from '@stepwise/security';

/**
 * The rows the in-memory repositories keep, by table and id: the one store the fake ScopedRecords loads from,
 * so a use case finds (or is denied) exactly what its repository wrote.
 */
export class InMemoryTables {
  private readonly tables = new Map<string, Map<string, SiteOwnedRow>>();

  put<R extends SiteOwnedRow>(table: string, row: R): R {
    this.rowsOf(table).set(row.id, row);
    return row;
  }

  get(table: string, id: string): SiteOwnedRow | undefined {
    return this.rowsOf(table).get(id);
  }

  all(table: string): SiteOwnedRow[] {
    return [...this.rowsOf(table).values()];
  }

  private rowsOf(table: string): Map<string, SiteOwnedRow> {
    let rows = this.tables.get(table);
    if (rows === undefined) {
      rows = new Map();
      this.tables.set(table, rows);
    }
    return rows;
  }
}
