import {
  type AccessAttempt,
  type Actor,
  type AuditedRecord,
  ProblemException,
  type RecordKind,
  type ScopedRecords,
  type SiteOwnedRow,
} from '@stepwise/security';
import { type EntityManager } from 'typeorm';
import { type InMemoryTables } from './in-memory-tables';
import { type PublicOf } from './stand-in';

/** An audit entry as the fake records it. */
export interface FakeAuditEntry {
  readonly action: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly siteId: string;
  readonly clientId: string | null;
  readonly outcome: 'allowed' | 'denied';
}

/**
 * ScopedRecords over in-memory tables: the caller reaches records at the sites of their token only (404
 * otherwise, the denial audited), and every audit entry is kept for the test to read.
 */
export class FakeScopedRecords implements PublicOf<ScopedRecords> {
  readonly audit: FakeAuditEntry[] = [];

  constructor(private readonly tables: InMemoryTables) {}

  async load<R extends SiteOwnedRow>(
    actor: Actor,
    kind: RecordKind<R>,
    id: string,
    action: string,
    _manager?: EntityManager,
  ): Promise<R> {
    // The kind's table holds rows of the kind's type: that is what the repositories put there.
    const row = this.tables.get(kind.table, id) as R | undefined;
    if (row === undefined) {
      throw new ProblemException('not-found', { detail: `No such ${kind.resourceType}` });
    }
    await this.assertSite(
      actor,
      { siteId: row.site_id },
      {
        action,
        resourceType: kind.resourceType,
        resourceId: id,
        clientId: kind.clientIdOf(row) ?? undefined,
      },
    );
    return row;
  }

  async assertSite(
    actor: Actor,
    site: { readonly siteId: string; readonly networkId?: string | null },
    attempt: AccessAttempt,
  ): Promise<void> {
    if (actor.principal.sites.includes(site.siteId)) return;
    this.audit.push({
      action: attempt.action,
      resourceType: attempt.resourceType,
      resourceId: attempt.resourceId ?? '',
      siteId: site.siteId,
      clientId: attempt.clientId ?? null,
      outcome: 'denied',
    });
    throw new ProblemException('not-found', { detail: `No such ${attempt.resourceType}` });
  }

  async audited(
    _actor: Actor,
    action: string,
    kind: { readonly resourceType: string },
    record: AuditedRecord,
    _manager?: EntityManager,
  ): Promise<void> {
    this.audit.push({
      action,
      resourceType: kind.resourceType,
      resourceId: record.id,
      siteId: record.siteId,
      clientId: record.clientId ?? null,
      outcome: 'allowed',
    });
  }

  async read<R extends SiteOwnedRow>(actor: Actor, kind: RecordKind<R>, id: string): Promise<R> {
    const row = await this.load(actor, kind, id, 'read');
    await this.audited(actor, 'read', kind, {
      id: row.id,
      siteId: row.site_id,
      clientId: kind.clientIdOf(row),
    });
    return row;
  }
}
