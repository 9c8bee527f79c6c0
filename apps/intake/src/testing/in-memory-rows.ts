import { Page, type SiteOwnedRow } from '@stepwise/security';
import { type InMemoryTables } from './in-memory-tables';

/**
 * The rows of one record kind in the shared in-memory tables, typed as the kind's rows: what every in-memory
 * repository keeps its records in, with the set-up (`seed`) and inspection (`row`, `rows`) tests use.
 */
export abstract class InMemoryRows<R extends SiteOwnedRow> {
  protected constructor(
    protected readonly tables: InMemoryTables,
    private readonly kind: { readonly table: string },
  ) {}

  /** Stores a row as the repository would have written it. */
  seed(row: R): R {
    return this.tables.put(this.kind.table, row);
  }

  row(id: string): R | undefined {
    // The kind's table holds rows of its type only: `seed` and the repository's writes put them there.
    return this.tables.get(this.kind.table, id) as R | undefined;
  }

  rows(): R[] {
    return this.tables.all(this.kind.table) as R[];
  }

  /** Changes a stored row as an UPDATE … RETURNING does, which returns nothing for a missing one. */
  protected change(id: string, change: Partial<R>): R {
    const row = this.row(id);
    if (row === undefined) throw new Error('update returned nothing');
    return this.seed({ ...row, ...change });
  }

  /** The rows `keep` selects, all on one page: paging itself is the SQL's business, tested with it. */
  protected onePage<T>(keep: (row: R) => boolean, view: (row: R) => T): Page<T> {
    return new Page(this.rows().filter(keep).map(view), null);
  }
}
