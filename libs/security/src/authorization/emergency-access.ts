import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type EmergencyAccessReason } from '@stepwise/contracts';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';

/**
 * One clinician's time-boxed emergency ("break-glass") read access to one client's record outside their
 * sites (42 CFR 2.51 medical emergency; HIPAA 164.312(a)(2)(ii)). Ids and codes only.
 */
export interface EmergencyAccessGrant {
  readonly id: string;
  readonly actorId: string;
  readonly clientId: string;
  readonly siteId: string;
  readonly networkId: string | null;
  readonly reasonCode: EmergencyAccessReason;
  readonly grantedAt: Date;
  readonly expiresAt: Date;
}

interface GrantRow {
  id: string;
  actor_id: string;
  client_id: string;
  site_id: string;
  network_id: string | null;
  reason_code: EmergencyAccessReason;
  granted_at: Date;
  expires_at: Date;
}

const toGrant = (row: GrantRow): EmergencyAccessGrant => ({
  id: row.id,
  actorId: row.actor_id,
  clientId: row.client_id,
  siteId: row.site_id,
  networkId: row.network_id,
  reasonCode: row.reason_code,
  grantedAt: row.granted_at,
  expiresAt: row.expires_at,
});

/** The grants of a service's schema (`emergency_access_grants`): written once, never changed. */
@Injectable()
export class EmergencyAccessGrants {
  constructor(private readonly dataSource: DataSource) {}

  private table(): string {
    const schema = (this.dataSource.options as { schema?: string }).schema ?? 'public';
    return `"${schema}"."emergency_access_grants"`;
  }

  async insert(
    manager: EntityManager,
    grant: Omit<EmergencyAccessGrant, 'id'>,
  ): Promise<EmergencyAccessGrant> {
    const created = { id: randomUUID(), ...grant };
    await manager.query(
      `INSERT INTO ${this.table()} (id, actor_id, client_id, site_id, network_id, reason_code, granted_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        created.id,
        created.actorId,
        created.clientId,
        created.siteId,
        created.networkId,
        created.reasonCode,
        created.grantedAt,
        created.expiresAt,
      ],
    );
    return created;
  }

  /** The actor's grant for the client in force at `at` (granted, not yet expired), if any. */
  async active(actorId: string, clientId: string, at: Date): Promise<EmergencyAccessGrant | undefined> {
    const [row] = await this.dataSource.query<GrantRow[]>(
      `SELECT id, actor_id, client_id, site_id, network_id, reason_code, granted_at, expires_at FROM ${this.table()}
        WHERE actor_id = $1 AND client_id = $2 AND granted_at <= $3 AND expires_at > $3
        ORDER BY expires_at DESC LIMIT 1`,
      [actorId, clientId, at],
    );
    return row === undefined ? undefined : toGrant(row);
  }
}

/** The grants table: history, so the application role may only add rows. */
export async function createEmergencyAccessTableV1(queryRunner: QueryRunner, schema: string): Promise<void> {
  const table = `"${schema}"."emergency_access_grants"`;
  await queryRunner.query(`
    CREATE TABLE ${table} (
      id           uuid        PRIMARY KEY,
      actor_id     text        NOT NULL CHECK (length(actor_id) BETWEEN 1 AND 255),
      client_id    uuid        NOT NULL,
      site_id      uuid        NOT NULL,
      network_id   uuid,
      reason_code  text        NOT NULL CHECK (reason_code ~ '^[a-z][a-z-]{0,63}$'),
      granted_at   timestamptz NOT NULL,
      expires_at   timestamptz NOT NULL CHECK (expires_at > granted_at)
    )`);
  await queryRunner.query(
    `CREATE INDEX "emergency_access_grants_actor_client" ON ${table} (actor_id, client_id, expires_at)`,
  );
  await queryRunner.query(`
    DO $$ DECLARE r text; BEGIN
      FOR r IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
        WHERE table_schema = '${schema}' AND table_name = 'emergency_access_grants' AND grantee <> current_user LOOP
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON ${table.replace(/'/g, "''")} FROM %I', r);
      END LOOP;
    END $$`);
}

export async function dropEmergencyAccessTableV1(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`DROP TABLE "${schema}"."emergency_access_grants"`);
}
