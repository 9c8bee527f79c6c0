import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type Actor } from '../auth/principal';
import { isNetworkWide } from '../auth/token-claims';
import { type CursorKey, decodeCursor, timestampKey } from '../pagination/cursor';
import { type Page, toPage } from '../pagination/page';
import { ProblemException } from '../problems/problem.exception';
import { AUDIT_TOKEN, AUDIT_WORD } from './audit-table';

export type AuditOutcome = 'allowed' | 'denied';

/** What happened, in ids and codes only: the audit trail never holds names or free text. */
export interface AuditEvent {
  /** What was done: `read`, `list`, `create`, `update`, `sign`, … (lower-case word). */
  readonly action: string;
  /** The kind of record: `client`, `note`, `site`, … (lower-case word). */
  readonly resourceType: string;
  readonly resourceId?: string;
  readonly clientId?: string;
  readonly siteId?: string;
  readonly networkId?: string;
  readonly outcome: AuditOutcome;
}

/** One audit entry as auditors read it. */
export interface AuditEntryView {
  readonly id: string;
  readonly occurredAt: string;
  readonly actorId: string;
  readonly actorKind: string;
  readonly actorRoles: string[];
  readonly action: string;
  readonly resourceType: string;
  readonly resourceId: string | null;
  readonly clientId: string | null;
  readonly siteId: string | null;
  readonly outcome: AuditOutcome;
  readonly requestId: string | null;
  readonly sourceAddress: string | null;
}

interface AuditRow {
  id: string;
  occurred_at: Date;
  occurred_at_text: string;
  actor_id: string;
  actor_kind: string;
  actor_roles: string[];
  action: string;
  resource_type: string;
  resource_id: string | null;
  client_id: string | null;
  site_id: string | null;
  outcome: AuditOutcome;
  request_id: string | null;
  source_address: string | null;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WORD = new RegExp(AUDIT_WORD);
const TOKEN = new RegExp(AUDIT_TOKEN);

/** An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) is stored as the IPv4 address it is. */
function normaliseAddress(address: string | undefined): string | null {
  if (address === undefined || address === '') return null;
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/** An audit entry as SQL to send with other statements: the shape of messaging's `ChangeStatement`. */
export interface AuditStatement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

/**
 * Writes and reads the service's audit trail (table `audit_log`, see createAuditTableV1). Every read or
 * change of client data records an entry — in the same transaction as the change when a manager is passed —
 * and an access refused by site scope records a `denied` one.
 */
@Injectable()
export class AuditTrail {
  constructor(private readonly dataSource: DataSource) {}

  private table(): string {
    const schema = (this.dataSource.options as { schema?: string }).schema ?? 'public';
    return `"${schema}"."audit_log"`;
  }

  private manager(manager?: EntityManager): EntityManager {
    if (manager !== undefined) return manager;
    if (!this.dataSource.isInitialized) throw new ProblemException('service-unavailable');
    return this.dataSource.manager;
  }

  async record(actor: Actor, event: AuditEvent, manager?: EntityManager): Promise<void> {
    const entry = this.insertStatement(actor, event);
    await this.manager(manager).query(entry.sql, [...entry.parameters]);
  }

  /**
   * The entry as one INSERT (its parameters numbered from `$1`), for a use case that sends it in the same
   * statement as its change and event (`Transaction.publishWithChange`'s `alongside`: one round trip instead
   * of two). `record` sends the same statement on its own.
   */
  insertStatement(actor: Actor, event: AuditEvent): AuditStatement {
    // Programming errors, caught before the database's CHECK constraints would refuse them.
    if (!WORD.test(event.action) || !WORD.test(event.resourceType)) {
      throw new Error(`Audit action and resource type must be lower-case words`);
    }
    const resourceId =
      event.resourceId !== undefined && TOKEN.test(event.resourceId) ? event.resourceId : null;
    const requestId = TOKEN.test(actor.requestId) ? actor.requestId : null;
    return {
      sql: `INSERT INTO ${this.table()}
         (actor_id, actor_kind, actor_roles, action, resource_type, resource_id, client_id, site_id, network_id,
          outcome, request_id, source_address)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      parameters: [
        actor.principal.id,
        actor.principal.kind,
        [...actor.principal.roles],
        event.action,
        event.resourceType,
        resourceId,
        event.clientId ?? null,
        event.siteId ?? null,
        event.networkId ?? null,
        event.outcome,
        requestId,
        normaliseAddress(actor.sourceAddress),
      ],
    };
  }

  /**
   * One allowed entry per client's record a list or a search showed (each one a read of PHI: a name, hours,
   * a screen result), in the read's transaction when `manager` is given.
   */
  async recordShown(
    actor: Actor,
    shown: { readonly action: string; readonly resourceType: string },
    records: readonly { readonly id: string; readonly clientId: string; readonly siteId: string }[],
    manager?: EntityManager,
  ): Promise<void> {
    for (const record of records) {
      await this.record(
        actor,
        {
          ...shown,
          resourceId: record.id,
          clientId: record.clientId,
          siteId: record.siteId,
          outcome: 'allowed',
        },
        manager,
      );
    }
  }

  /**
   * The entries about one client in [from, to), oldest first, limited to what the reader may see: entries
   * of the reader's sites, or of its network for a network-wide reader.
   */
  async listForClient(
    reader: Actor,
    query: { clientId: string; from: Date; to: Date; limit: number; cursor?: string },
  ): Promise<Page<AuditEntryView>> {
    const after: CursorKey | undefined =
      query.cursor === undefined ? undefined : decodeCursor(query.cursor, 2);
    if (after !== undefined && !(ISO_INSTANT.test(String(after[0])) && UUID.test(String(after[1])))) {
      throw new ProblemException('invalid-cursor');
    }
    const principal = reader.principal;
    const networkWide = isNetworkWide(principal) && principal.network !== undefined;
    const params: unknown[] = [
      query.clientId,
      query.from.toISOString(),
      query.to.toISOString(),
      [...principal.sites],
      networkWide ? principal.network : null,
      query.limit + 1,
    ];
    let keyset = '';
    if (after !== undefined) {
      params.push(String(after[0]), String(after[1]));
      keyset = `AND (occurred_at, id) > ($7::timestamptz, $8::uuid)`;
    }
    const rows = await this.manager().query<AuditRow[]>(
      `SELECT id, occurred_at, ${timestampKey('occurred_at')} AS occurred_at_text,
              actor_id, actor_kind, actor_roles, action, resource_type, resource_id, client_id, site_id, outcome,
              request_id, host(source_address) AS source_address
         FROM ${this.table()}
        WHERE client_id = $1 AND occurred_at >= $2 AND occurred_at < $3
          AND (site_id = ANY($4::uuid[]) OR ($5::uuid IS NOT NULL AND network_id = $5::uuid))
          ${keyset}
        ORDER BY occurred_at, id
        LIMIT $6`,
      params,
    );
    return toPage(
      rows,
      query.limit,
      (row) => [row.occurred_at_text, row.id],
      (row): AuditEntryView => ({
        id: row.id,
        occurredAt: row.occurred_at_text,
        actorId: row.actor_id,
        actorKind: row.actor_kind,
        actorRoles: row.actor_roles,
        action: row.action,
        resourceType: row.resource_type,
        resourceId: row.resource_id,
        clientId: row.client_id,
        siteId: row.site_id,
        outcome: row.outcome,
        requestId: row.request_id,
        sourceAddress: row.source_address,
      }),
    );
  }
}
