import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail';
import { type Actor } from '../auth/principal';
import { ProblemException } from '../problems/problem.exception';
import { type AccessAttempt, SiteScope } from './site-scope';

/** The columns a site-owned row carries, as selected by its kind. */
export interface SiteOwnedRow {
  readonly id: string;
  readonly site_id: string;
  /** The row's network when the table keeps it; otherwise the site directory answers for network-wide callers. */
  readonly network_id?: string | null;
}

/** A kind of site-owned record: where it lives and how the audit trail and a 404 name it. */
export interface RecordKind<R extends SiteOwnedRow> {
  /** Qualified table, e.g. `"intake"."episodes"`. */
  readonly table: string;
  /** The select list that yields `R`. */
  readonly columns: string;
  /** Audit resource type (a lower-case word) and the noun of the 404 detail. */
  readonly resourceType: string;
  /** The client the record is about, when there is one (audited, never shown). */
  readonly clientIdOf: (row: R) => string | null;
}

/** What an audit entry names of a record. */
export interface AuditedRecord {
  readonly id: string;
  readonly siteId: string;
  readonly clientId?: string | null;
}

export function refOf<R extends SiteOwnedRow>(kind: RecordKind<R>, row: R): AuditedRecord {
  return { id: row.id, siteId: row.site_id, clientId: kind.clientIdOf(row) };
}

/**
 * The one way a use case reaches a site-owned record or acts at a site, in every service: 404 when the
 * record is missing; 404 and a denied audit entry when its site is outside the caller's scope (never 403, so
 * ids reveal nothing); inside a transaction the row is locked (`FOR UPDATE`), so changes to one record — and
 * the events they publish — are serialised. Allowed accesses are audited in the transaction of the change;
 * denials on their own, because the 404 rolls that transaction back.
 */
@Injectable()
export class ScopedRecords {
  constructor(
    private readonly dataSource: DataSource,
    private readonly siteScope: SiteScope,
    private readonly audit: AuditTrail,
  ) {}

  /** Loads a record for `action`, checked against the caller's sites (locked when `manager` is given). */
  async load<R extends SiteOwnedRow>(
    actor: Actor,
    kind: RecordKind<R>,
    id: string,
    action: string,
    manager?: EntityManager,
  ): Promise<R> {
    const row = await this.find(kind, id, manager);
    if (row === undefined)
      throw new ProblemException('not-found', { detail: `No such ${kind.resourceType}` });
    const clientId = kind.clientIdOf(row);
    await this.siteScope.assertRecord(
      actor,
      { siteId: row.site_id, networkId: row.network_id },
      { action, resourceType: kind.resourceType, resourceId: id, ...(clientId ? { clientId } : {}) },
    );
    return row;
  }

  /**
   * The stored row, locked when `manager` is a transaction. The one place this class reads a table, so a test
   * double replaces only this lookup and keeps the site check and the auditing as they are.
   */
  protected async find<R extends SiteOwnedRow>(
    kind: RecordKind<R>,
    id: string,
    manager?: EntityManager,
  ): Promise<R | undefined> {
    const [row] = await (manager ?? this.dataSource.manager).query<R[]>(
      `SELECT ${kind.columns} FROM ${kind.table} WHERE id = $1 ${manager ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return row;
  }

  /**
   * Checks the caller may act at `siteId` — the site a request names for something new, or the site of a
   * record loaded another way — answering 404 and auditing the denial as `load` does.
   */
  async assertSite(
    actor: Actor,
    site: { readonly siteId: string; readonly networkId?: string | null },
    attempt: AccessAttempt,
  ): Promise<void> {
    await this.siteScope.assertRecord(actor, site, attempt);
  }

  /** The allowed-access audit entry of `action` on a record (in the transaction when `manager` is given). */
  async audited(
    actor: Actor,
    action: string,
    kind: { readonly resourceType: string },
    record: AuditedRecord,
    manager?: EntityManager,
  ): Promise<void> {
    await this.audit.record(
      actor,
      {
        action,
        resourceType: kind.resourceType,
        resourceId: record.id,
        ...(record.clientId ? { clientId: record.clientId } : {}),
        siteId: record.siteId,
        outcome: 'allowed',
      },
      manager,
    );
  }

  /** Loads and audits a read outside a transaction: what every GET of one record does. */
  async read<R extends SiteOwnedRow>(actor: Actor, kind: RecordKind<R>, id: string): Promise<R> {
    const row = await this.load(actor, kind, id, 'read');
    await this.audited(actor, 'read', kind, refOf(kind, row));
    return row;
  }
}
