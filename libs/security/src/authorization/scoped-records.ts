import { Injectable, Optional } from '@nestjs/common';
import { type EmergencyAccessReason } from '@stepwise/contracts';
import { Clock, SystemClock } from '@stepwise/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { type AuditEvent, type AuditStatement, AuditTrail } from '../audit/audit-trail';
import { type Actor } from '../auth/principal';
import { ProblemException } from '../problems/problem.exception';
import { type EmergencyAccessGrant, EmergencyAccessGrants } from './emergency-access';
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
  /**
   * Whether an emergency (break-glass) grant for the record's client answers a read of it outside the
   * caller's sites. Opt-in per kind; SUD counseling notes never opt in (they need their own specific consent
   * and no emergency reaches them).
   */
  readonly emergencyAccess?: boolean;
}

/** Audit actions of break-glass: the grant, and each read it answered (distinct from ordinary reads). */
export const EMERGENCY_ACCESS_GRANTED = 'break-glass';
export const EMERGENCY_READ = 'break-glass-read';

/** A break-glass request: for one client (their record of `kind`), why, and for how long. */
export interface EmergencyAccessRequest {
  readonly clientId: string;
  readonly reasonCode: EmergencyAccessReason;
  readonly minutes: number;
}

/** What an audit entry names of a record. */
export interface AuditedRecord {
  readonly id: string;
  readonly siteId: string;
  readonly clientId?: string | null;
}

/** The allowed-access audit entry of `action` on a record. */
function allowedEntry(
  action: string,
  kind: { readonly resourceType: string },
  record: AuditedRecord,
): AuditEvent {
  return {
    action,
    resourceType: kind.resourceType,
    resourceId: record.id,
    ...(record.clientId ? { clientId: record.clientId } : {}),
    siteId: record.siteId,
    outcome: 'allowed',
  };
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
    @Optional() private readonly emergencyGrants?: EmergencyAccessGrants,
    // Not provided by the security module: a second Clock there would be the one `app.get(Clock)` finds, and a
    // test fixing the service's clock would fix that one instead. The machine's clock, unless a test passes one.
    @Optional() private readonly clock: Clock = new SystemClock(),
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
    await this.assertInScope(actor, kind, row, action);
    return row;
  }

  /** The site check of a loaded record: 404 and a denied audit entry outside the caller's scope. */
  private async assertInScope<R extends SiteOwnedRow>(
    actor: Actor,
    kind: RecordKind<R>,
    row: R,
    action: string,
  ): Promise<void> {
    const clientId = kind.clientIdOf(row);
    await this.siteScope.assertRecord(
      actor,
      { siteId: row.site_id, networkId: row.network_id },
      { action, resourceType: kind.resourceType, resourceId: row.id, ...(clientId ? { clientId } : {}) },
    );
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
    await this.audit.record(actor, allowedEntry(action, kind, record), manager);
  }

  /**
   * `audited` as a statement to send with the change it audits, in its transaction (see
   * `AuditTrail.insertStatement`): the entry is written only if that statement is.
   */
  auditedStatement(
    actor: Actor,
    action: string,
    kind: { readonly resourceType: string },
    record: AuditedRecord,
  ): AuditStatement {
    return this.audit.insertStatement(actor, allowedEntry(action, kind, record));
  }

  /**
   * Loads and audits a read outside a transaction: what every GET of one record does. A record outside the
   * caller's sites is still answered while the caller holds an emergency grant for its client (kinds that
   * allow it only), with its own audit entry (`break-glass-read`) instead of an ordinary read.
   */
  async read<R extends SiteOwnedRow>(actor: Actor, kind: RecordKind<R>, id: string): Promise<R> {
    const row = await this.find(kind, id);
    if (row === undefined)
      throw new ProblemException('not-found', { detail: `No such ${kind.resourceType}` });
    if (!(await this.siteScope.allows(actor.principal, row.site_id, row.network_id))) {
      if ((await this.emergencyGrantFor(actor, kind, row)) === undefined)
        await this.assertInScope(actor, kind, row, 'read');
      await this.audited(actor, EMERGENCY_READ, kind, refOf(kind, row));
      return row;
    }
    await this.audited(actor, 'read', kind, refOf(kind, row));
    return row;
  }

  /**
   * Breaks the glass: grants the actor read access to one client's record of `kind` (looked up by the client's
   * id) for `minutes`, even outside their sites but never outside their network, and audits the grant as its
   * own action. Answers 404 (audited as denied) for a client of another network or of a kind that does not
   * allow emergency access. The caller publishes the alert in the same transaction (`manager`).
   */
  async grantEmergencyAccess<R extends SiteOwnedRow>(
    actor: Actor,
    kind: RecordKind<R>,
    request: EmergencyAccessRequest,
    manager: EntityManager,
  ): Promise<EmergencyAccessGrant> {
    if (this.emergencyGrants === undefined) throw new Error('emergency access is not configured');
    const row = await this.find(kind, request.clientId, manager);
    if (row === undefined || kind.emergencyAccess !== true)
      throw new ProblemException('not-found', { detail: `No such ${kind.resourceType}` });
    if (!(await this.sameNetwork(actor, row))) {
      await this.siteScope.assertRecord(
        actor,
        { siteId: row.site_id, networkId: row.network_id },
        { action: EMERGENCY_ACCESS_GRANTED, resourceType: kind.resourceType, resourceId: row.id },
      );
    }
    const now = this.clock.now();
    const grant = await this.emergencyGrants.insert(manager, {
      actorId: actor.principal.id,
      clientId: request.clientId,
      siteId: row.site_id,
      networkId: row.network_id ?? actor.principal.network ?? null,
      reasonCode: request.reasonCode,
      grantedAt: now,
      expiresAt: new Date(now.getTime() + request.minutes * 60_000),
    });
    await this.audited(actor, EMERGENCY_ACCESS_GRANTED, kind, refOf(kind, row), manager);
    return grant;
  }

  /** The grant in force that lets the actor read `row`, outside their sites, if any. */
  private async emergencyGrantFor<R extends SiteOwnedRow>(
    actor: Actor,
    kind: RecordKind<R>,
    row: R,
  ): Promise<EmergencyAccessGrant | undefined> {
    const clientId = kind.clientIdOf(row);
    if (kind.emergencyAccess !== true || this.emergencyGrants === undefined || clientId === null)
      return undefined;
    if (!(await this.sameNetwork(actor, row))) return undefined;
    return this.emergencyGrants.active(actor.principal.id, clientId, this.clock.now());
  }

  /** Break-glass crosses sites, never networks. */
  private async sameNetwork(actor: Actor, row: SiteOwnedRow): Promise<boolean> {
    const network = actor.principal.network;
    if (network === undefined) return false;
    const rowNetwork = row.network_id ?? (await this.siteScope.networkOf(row.site_id));
    return rowNetwork !== undefined && rowNetwork !== null && rowNetwork.toLowerCase() === network;
  }
}
