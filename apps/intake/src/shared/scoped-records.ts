import { Injectable } from '@nestjs/common';
import { type Actor, AuditTrail, ProblemException, SiteScope } from '@stepwise/security';
import { DataSource, type EntityManager } from 'typeorm';

/** The columns every site-owned row carries, as SiteScope.assertRecord wants them. */
export interface SiteOwnedRow {
  readonly id: string;
  readonly site_id: string;
  readonly network_id: string | null;
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

/** A kind of site-owned record: where it lives and how the audit trail names it. */
export interface RecordKind<R extends SiteOwnedRow> {
  readonly table: string;
  readonly columns: string;
  /** Audit resource type (a lower-case word) and the noun of the 404 detail. */
  readonly resourceType: string;
  readonly clientIdOf: (row: R) => string | null;
}

/**
 * Loading a record by id the way every route must: 404 when missing, 404 and a denied audit entry when it
 * belongs to a site outside the caller's scope; inside a transaction the row is locked (`FOR UPDATE`), so
 * changes to one record — and the events they publish — are serialised.
 */
@Injectable()
export class ScopedRecords {
  constructor(
    private readonly dataSource: DataSource,
    private readonly siteScope: SiteScope,
    private readonly audit: AuditTrail,
  ) {}

  async load<R extends SiteOwnedRow>(
    actor: Actor,
    kind: RecordKind<R>,
    id: string,
    action: string,
    manager?: EntityManager,
  ): Promise<R> {
    const [row] = await (manager ?? this.dataSource.manager).query<R[]>(
      `SELECT ${kind.columns} FROM ${kind.table} WHERE id = $1 ${manager ? 'FOR UPDATE' : ''}`,
      [id],
    );
    if (row === undefined)
      throw new ProblemException('not-found', { detail: `No such ${kind.resourceType}` });
    const clientId = kind.clientIdOf(row);
    await this.siteScope.assertRecord(
      actor,
      { siteId: row.site_id, networkId: row.network_id },
      { action, resourceType: kind.resourceType, resourceId: id, ...(clientId ? { clientId } : {}) },
      manager,
    );
    return row;
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
