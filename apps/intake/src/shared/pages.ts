import { isInstant, isUuid } from '@stepwise/contracts';
import {
  type Page,
  type PageQuery,
  ProblemException,
  decodeCursor,
  pageLimit,
  timestampKey,
  toPage,
} from '@stepwise/security';
import { type EntityManager } from 'typeorm';

export interface PageSpec<R, T> {
  /** Table (schema-qualified), keyed by `id`, with a `created_at` timestamptz. */
  readonly table: string;
  readonly columns: string;
  /** Filters as SQL with `$n` placeholders numbered from 1, and their values. */
  readonly where: readonly string[];
  readonly params: readonly unknown[];
  readonly view: (row: R) => T;
}

/** One keyset page (created_at, id) of a table: every list route of the service goes through here. */
export async function readPage<R extends { id: string }, T>(
  manager: EntityManager,
  query: PageQuery,
  spec: PageSpec<R, T>,
): Promise<Page<T>> {
  const limit = pageLimit(query);
  const params = [...spec.params];
  const where = [...spec.where];
  if (query.cursor !== undefined) {
    const [at, id] = decodeCursor(query.cursor, 2);
    if (!isInstant(at) || !isUuid(id)) throw new ProblemException('invalid-cursor');
    params.push(at, id);
    where.push(`(created_at, id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
  }
  params.push(limit + 1);
  const rows = await manager.query<(R & { created_key: string })[]>(
    `SELECT ${spec.columns}, ${timestampKey('created_at')} AS created_key FROM ${spec.table}
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created_at, id LIMIT $${params.length}`,
    params,
  );
  return toPage(rows, limit, (row) => [row.created_key, row.id], spec.view);
}

/** A page of a site's records (referrals, reviews), optionally of one status: a site's queue. */
export function sitePage<R extends { id: string }, T>(
  manager: EntityManager,
  siteId: string,
  query: PageQuery & { status?: string },
  spec: Pick<PageSpec<R, T>, 'table' | 'columns' | 'view'>,
): Promise<Page<T>> {
  const status = query.status;
  return readPage(manager, query, {
    ...spec,
    where: status === undefined ? ['site_id = $1'] : ['site_id = $1', 'status = $2'],
    params: status === undefined ? [siteId] : [siteId, status],
  });
}
