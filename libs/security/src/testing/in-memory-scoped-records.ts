import { randomUUID } from 'node:crypto';
import { type Clock, ManualClock } from '@stepwise/platform';
import { type DataSource, type EntityManager } from 'typeorm';
import { AuditTrail, type AuditEvent, type AuditStatement } from '../audit/audit-trail';
import { type Actor } from '../auth/principal';
import { type EmergencyAccessGrant, EmergencyAccessGrants } from '../authorization/emergency-access';
import { type RecordKind, ScopedRecords, type SiteOwnedRow } from '../authorization/scoped-records';
import { SiteDirectory, UnknownSiteDirectory } from '../authorization/site-directory';
import { SiteScope } from '../authorization/site-scope';

// Test doubles of this library's record access, exported (as messaging exports its RecordingUnitOfWork) so
// every service's use-case unit tests share one faithful fake instead of writing their own.

/**
 * The database handle of these doubles: the real classes keep one, but nothing they are asked to do here
 * reaches it. Any use means a double failed to replace a query, and fails loudly, naming what was used.
 */
const NO_DATA_SOURCE: DataSource = new Proxy({} as DataSource, {
  get: (_target, property) => {
    // Promise resolution probes `then`; answering it would make the handle look like a promise.
    if (property === 'then') return undefined;
    throw new Error(`A unit test reached the database (${String(property)}) through a security double`);
  },
});

/** The audit trail, kept in memory: every entry, allowed or denied, in the order it was written. */
export class RecordingAuditTrail extends AuditTrail {
  readonly entries: AuditEvent[] = [];

  constructor() {
    super(NO_DATA_SOURCE);
  }

  override record(_actor: Actor, event: AuditEvent, _manager?: EntityManager): Promise<void> {
    this.entries.push(event);
    return Promise.resolve();
  }

  /**
   * Recorded when the use case builds it: the in-memory repository that receives it applies its change and
   * does not run SQL, and a use case that fails afterwards fails its test anyway.
   */
  override insertStatement(_actor: Actor, event: AuditEvent): AuditStatement {
    this.entries.push(event);
    return { sql: '-- the audit entry, recorded in memory', parameters: [] };
  }

  override listForClient(): never {
    throw new Error('Reading the audit trail is SQL: test it against the database');
  }

  /** The entries as `action:resourceType:outcome`, the shortest way to assert what was audited. */
  outcomes(): string[] {
    return this.entries.map((entry) => `${entry.action}:${entry.resourceType}:${entry.outcome}`);
  }
}

/** Break-glass grants kept in memory, in the order they were made. */
export class InMemoryEmergencyAccessGrants extends EmergencyAccessGrants {
  readonly grants: EmergencyAccessGrant[] = [];

  constructor() {
    super(NO_DATA_SOURCE);
  }

  override insert(_manager: unknown, grant: Omit<EmergencyAccessGrant, 'id'>): Promise<EmergencyAccessGrant> {
    const created = { id: randomUUID(), ...grant };
    this.grants.push(created);
    return Promise.resolve(created);
  }

  override active(actorId: string, clientId: string, at: Date): Promise<EmergencyAccessGrant | undefined> {
    return Promise.resolve(
      this.grants.find(
        (g) => g.actorId === actorId && g.clientId === clientId && g.grantedAt <= at && g.expiresAt > at,
      ),
    );
  }
}

/** Every site in one network: what the site directory answers a network-wide caller. */
class OneNetworkDirectory extends SiteDirectory {
  constructor(private readonly network: string) {
    super();
  }

  networkOf(): Promise<string | undefined> {
    return Promise.resolve(this.network);
  }
}

export interface InMemoryScopedRecordsOptions {
  /** Where `load` looks a record up, by its kind's table and id; by default among the rows `put` stored. */
  readonly find?: (table: string, id: string) => SiteOwnedRow | undefined;
  /** The trail of denials and allowed accesses; pass the one injected as `AuditTrail` to see both in one. */
  readonly trail?: RecordingAuditTrail;
  /** The network of every site, for network-wide callers (network-admin, service); by default none is known. */
  readonly network?: string;
  /** The clock break-glass grants are made and expire by (by default a manual clock at 2026-03-10 15:00 UTC). */
  readonly clock?: Clock;
}

/**
 * `ScopedRecords` over rows held in memory. Only the row lookup is replaced (the real one is SQL): the site
 * check, the 404s and the audit entries are the library's own, written to a recording trail. So a use case
 * under test is denied, and audits, exactly as it would be in the service.
 */
export class InMemoryScopedRecords extends ScopedRecords {
  readonly trail: RecordingAuditTrail;
  /** The real site scope the records are checked with, for use cases that also check sites themselves. */
  readonly scope: SiteScope;
  /** The break-glass grants made through these records. */
  readonly emergency: InMemoryEmergencyAccessGrants;
  private readonly rows = new Map<string, SiteOwnedRow>();
  private readonly lookup: (table: string, id: string) => SiteOwnedRow | undefined;

  constructor(options: InMemoryScopedRecordsOptions = {}) {
    const trail = options.trail ?? new RecordingAuditTrail();
    const directory =
      options.network === undefined ? new UnknownSiteDirectory() : new OneNetworkDirectory(options.network);
    const siteScope = new SiteScope(directory, trail);
    const emergency = new InMemoryEmergencyAccessGrants();
    super(
      NO_DATA_SOURCE,
      siteScope,
      trail,
      emergency,
      options.clock ?? new ManualClock('2026-03-10T15:00:00Z'),
    );
    this.emergency = emergency;
    this.trail = trail;
    this.scope = siteScope;
    this.lookup = options.find ?? ((table, id) => this.rows.get(`${table}:${id}`));
  }

  /** Stores a record of `kind` for `load` to find (when no `find` was given). */
  put<R extends SiteOwnedRow>(kind: RecordKind<R>, row: R): R {
    this.rows.set(`${kind.table}:${row.id}`, row);
    return row;
  }

  protected override find<R extends SiteOwnedRow>(kind: RecordKind<R>, id: string): Promise<R | undefined> {
    // A kind's table holds rows of the kind's type: that is how the test stored them.
    return Promise.resolve(this.lookup(kind.table, id) as R | undefined);
  }
}
