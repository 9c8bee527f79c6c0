import { Client } from 'pg';
import { SERVICES, type ServiceName } from '@stepwise/contracts';

/** The owner role runs migrations (DDL); the application role only reads and writes data. */
export interface ServiceDatabase {
  readonly service: ServiceName;
  readonly schema: string;
  readonly ownerRole: string;
  readonly appRole: string;
  /** DATABASE_URL for the service (application role). */
  readonly url: string;
  /** DATABASE_MIGRATION_URL for the service (schema owner role). */
  readonly migrationUrl: string;
}

export function roleNames(service: ServiceName): { ownerRole: string; appRole: string } {
  return { ownerRole: `stepwise_${service}_owner`, appRole: `stepwise_${service}_app` };
}

function urlFor(adminUrl: string, database: string, role: string): string {
  const url = new URL(adminUrl);
  url.username = role;
  // Local development password (trust authentication on this machine ignores it; production roles come
  // from the database operator's secrets).
  url.password = role;
  url.pathname = `/${database}`;
  return url.toString();
}

export function withDatabase(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function postgresAnswers(adminUrl: string): Promise<boolean> {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const quote = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;

/**
 * Creates `database` (if missing), and in it one schema per service with an owner role and an application
 * role. The application role may use only its own schema, gets data privileges on what the owner creates,
 * and can create nothing (no DDL, no temporary tables, nothing in `public`). Idempotent.
 */
export async function bootstrapDatabase(
  adminUrl: string,
  database: string,
  services: readonly ServiceName[] = SERVICES,
): Promise<ServiceDatabase[]> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${quote(database)}`);
    for (const service of services) {
      for (const role of Object.values(roleNames(service))) {
        // Roles are cluster-wide; creating them concurrently (parallel test files) can race, so tolerate it.
        await admin
          .query(
            `DO $$ BEGIN
               IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN
                 CREATE ROLE ${quote(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD '${role}';
               END IF;
             END $$`,
          )
          .catch((error: unknown) => {
            if (!(error instanceof Error && /already exists|duplicate key/.test(error.message))) throw error;
          });
      }
    }
  } finally {
    await admin.end();
  }

  const db = new Client({ connectionString: withDatabase(adminUrl, database) });
  await db.connect();
  try {
    for (const statement of databaseLockdownStatements(database)) await db.query(statement);
    const result: ServiceDatabase[] = [];
    for (const service of services) {
      for (const statement of serviceSchemaStatements(database, service)) await db.query(statement);
      const { ownerRole, appRole } = roleNames(service);
      result.push({
        service,
        schema: service,
        ownerRole,
        appRole,
        url: urlFor(adminUrl, database, appRole),
        migrationUrl: urlFor(adminUrl, database, ownerRole),
      });
    }
    return result;
  } finally {
    await db.end();
  }
}

/** Nobody but the schema owners creates anything in `database`: no DDL, no temporary tables, nothing in `public`. */
export function databaseLockdownStatements(database: string): string[] {
  return [
    `REVOKE CREATE, TEMPORARY ON DATABASE ${quote(database)} FROM PUBLIC`,
    'REVOKE CREATE ON SCHEMA public FROM PUBLIC',
  ];
}

/**
 * A service's schema in `database`, owned by its owner role, and what its application role may do there: use
 * the schema, read and write the owner's tables and sequences. Run once the two roles exist. Kept as data so
 * the Kubernetes database (k8s/, CloudNativePG's post-init SQL) is set up by the same statements.
 */
export function serviceSchemaStatements(database: string, service: ServiceName): string[] {
  const { ownerRole, appRole } = roleNames(service);
  const schema = service;
  return [
    `GRANT CONNECT ON DATABASE ${quote(database)} TO ${quote(ownerRole)}, ${quote(appRole)}`,
    `CREATE SCHEMA IF NOT EXISTS ${quote(schema)} AUTHORIZATION ${quote(ownerRole)}`,
    `REVOKE ALL ON SCHEMA ${quote(schema)} FROM PUBLIC`,
    `GRANT USAGE ON SCHEMA ${quote(schema)} TO ${quote(appRole)}`,
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${quote(ownerRole)} IN SCHEMA ${quote(schema)} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${quote(appRole)}`,
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${quote(ownerRole)} IN SCHEMA ${quote(schema)} GRANT USAGE, SELECT ON SEQUENCES TO ${quote(appRole)}`,
    ...[ownerRole, appRole].map(
      (role) => `ALTER ROLE ${quote(role)} IN DATABASE ${quote(database)} SET search_path = ${quote(schema)}`,
    ),
  ];
}

/** Drops a database created for a test, disconnecting whoever still uses it. */
export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quote(database)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
