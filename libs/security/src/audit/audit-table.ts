import { type QueryRunner } from 'typeorm';

/** Identifiers written by code (actions, resource types): lower-case words, never free text. */
export const AUDIT_WORD = '^[a-z][a-z0-9.-]{0,63}$';
/** Resource ids and request ids: tokens such as UUIDs, never free text. */
export const AUDIT_TOKEN = '^[A-Za-z0-9._:-]{1,128}$';

/**
 * The append-only audit trail of a service (architecture.md, "Persistence"): who (actor id, kind, roles),
 * did what (action) to which resource (type, id) of which client, at which site, with which outcome, when,
 * in which request and from where. Columns hold ids and codes only — CHECK constraints refuse free text —
 * so the trail itself carries no names or notes.
 *
 * Append-only is enforced by the database in two layers:
 *  1. privileges: after creating the table, every role other than the owner that holds privileges on it
 *     (the application role gets SELECT/INSERT/UPDATE/DELETE through the schema's default privileges) loses
 *     UPDATE, DELETE, TRUNCATE, REFERENCES and TRIGGER. The grantees are read from the table's ACL, so this
 *     works whatever the operator named the roles (locally `stepwise_<service>_app`, in production the
 *     database operator's); PUBLIC loses everything.
 *  2. a trigger that refuses UPDATE, DELETE and TRUNCATE for everyone, the owner included, so history cannot
 *     be rewritten by a later grant or a mistaken migration. Retention purges, if ever needed, must be an
 *     explicit owner migration that disables the trigger.
 *
 * Migrations call this with their schema as the schema owner; its DDL never changes once released.
 */
export async function createAuditTableV1(queryRunner: QueryRunner, schema: string): Promise<void> {
  const table = `"${schema}"."audit_log"`;
  await queryRunner.query(`
    CREATE TABLE ${table} (
      id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
      occurred_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
      actor_id        text        NOT NULL CHECK (length(actor_id) BETWEEN 1 AND 255),
      actor_kind      text        NOT NULL CHECK (actor_kind IN ('user', 'service')),
      actor_roles     text[]      NOT NULL,
      action          text        NOT NULL CHECK (action ~ '${AUDIT_WORD}'),
      resource_type   text        NOT NULL CHECK (resource_type ~ '${AUDIT_WORD}'),
      resource_id     text                 CHECK (resource_id ~ '${AUDIT_TOKEN}'),
      client_id       uuid,
      site_id         uuid,
      network_id      uuid,
      outcome         text        NOT NULL CHECK (outcome IN ('allowed', 'denied')),
      request_id      text                 CHECK (request_id ~ '${AUDIT_TOKEN}'),
      source_address  inet
    )`);
  await queryRunner.query(
    `CREATE INDEX "audit_log_client_idx" ON ${table} (client_id, occurred_at, id) WHERE client_id IS NOT NULL`,
  );
  await queryRunner.query(`
    CREATE FUNCTION "${schema}"."audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$`);
  await queryRunner.query(`
    CREATE TRIGGER "audit_log_no_update_delete" BEFORE UPDATE OR DELETE ON ${table}
      FOR EACH ROW EXECUTE FUNCTION "${schema}"."audit_log_append_only"()`);
  await queryRunner.query(`
    CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON ${table}
      FOR EACH STATEMENT EXECUTE FUNCTION "${schema}"."audit_log_append_only"()`);
  await queryRunner.query(`REVOKE ALL ON ${table} FROM PUBLIC`);
  await queryRunner.query(`
    DO $$
    DECLARE grantee_name name;
    BEGIN
      FOR grantee_name IN
        SELECT DISTINCT r.rolname
          FROM pg_class c
          CROSS JOIN LATERAL aclexplode(c.relacl) acl
          JOIN pg_roles r ON r.oid = acl.grantee
         WHERE c.oid = '${table}'::regclass AND acl.grantee <> c.relowner
      LOOP
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ${table.replace(/'/g, "''")} FROM %I', grantee_name);
      END LOOP;
    END $$`);
}

export async function dropAuditTableV1(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`DROP TABLE "${schema}"."audit_log"`);
  await queryRunner.query(`DROP FUNCTION "${schema}"."audit_log_append_only"()`);
}
