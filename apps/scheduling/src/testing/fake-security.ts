import {
  type Actor,
  type AuditEvent,
  type AuditTrail,
  ProblemException,
  type RecordKind,
  ScopedRecords,
  SiteDirectory,
  type SiteOwnedRow,
  SiteScope,
} from '@stepwise/security';
import { type DataSource } from 'typeorm';

/** The network of every site and caller in the unit tests. */
export const NETWORK = '0e7e0000-0000-4000-8000-000000000001';

/** A caller acting for the given sites (a site admin and program director, as the API's staff are). */
export function actorAt(...sites: string[]): Actor {
  return {
    principal: {
      id: 'user-1',
      kind: 'user',
      roles: ['site-admin', 'program-director'],
      sites,
      network: NETWORK,
    },
    requestId: 'req-1',
    sourceAddress: undefined,
  };
}

/** Audit entries as the trail would store them. */
export class FakeAuditTrail {
  readonly entries: AuditEvent[] = [];

  record(_actor: Actor, event: AuditEvent): Promise<void> {
    this.entries.push(event);
    return Promise.resolve();
  }

  asAuditTrail(): AuditTrail {
    return this as unknown as AuditTrail;
  }
}

/** Every site of these tests is in one network, as a network-wide caller would see it. */
class OneNetworkDirectory extends SiteDirectory {
  networkOf(): Promise<string | undefined> {
    return Promise.resolve(NETWORK);
  }
}

/**
 * `ScopedRecords` over rows held in memory: the library's own site check and audit entries (404 for a
 * missing record, 404 and a denied audit entry for one outside the caller's sites); only the row lookup is
 * replaced, since the real one is SQL.
 */
export class FakeScopedRecords {
  readonly audit = new FakeAuditTrail();
  /** The real site scope over the test network, for use cases that check several sites. */
  readonly siteScope = new SiteScope(new OneNetworkDirectory(), this.audit.asAuditTrail());
  // Never queried: `load` is replaced below, and the other methods use only the site scope and the trail.
  private readonly real = new ScopedRecords({} as DataSource, this.siteScope, this.audit.asAuditTrail());
  private readonly rows = new Map<string, SiteOwnedRow>();

  /** Stores a record of `kind` for `load` to find. */
  put<R extends SiteOwnedRow>(kind: RecordKind<R>, row: R): void {
    this.rows.set(`${kind.table}:${row.id}`, row);
  }

  async load<R extends SiteOwnedRow>(
    actor: Actor,
    kind: RecordKind<R>,
    id: string,
    action: string,
  ): Promise<R> {
    // Rows are stored per kind by `put`, so the one found under this kind has its shape.
    const row = this.rows.get(`${kind.table}:${id}`) as R | undefined;
    if (row === undefined)
      throw new ProblemException('not-found', { detail: `No such ${kind.resourceType}` });
    const clientId = kind.clientIdOf(row) ?? undefined;
    const attempt = { action, resourceType: kind.resourceType, resourceId: id };
    const site = { siteId: row.site_id, networkId: row.network_id };
    await this.siteScope.assertRecord(
      actor,
      site,
      clientId === undefined ? attempt : { ...attempt, clientId },
    );
    return row;
  }

  assertSite: ScopedRecords['assertSite'] = (actor, site, attempt) =>
    this.real.assertSite(actor, site, attempt);

  audited: ScopedRecords['audited'] = (actor, action, kind, record) =>
    this.real.audited(actor, action, kind, record);

  asScopedRecords(): ScopedRecords {
    return this as unknown as ScopedRecords;
  }
}
