import { type QueryRunner } from 'typeorm';

/**
 * The outbox table every service writes its events to, in the same transaction as its state change.
 * Columns follow Debezium's outbox event router layout (id, aggregatetype, aggregateid, type, payload) so a
 * later move to change-data-capture needs no schema change; `sequence` gives the relay its order and
 * `headers` carries the CloudEvents attributes and W3C trace context.
 *
 * Migrations call these with their schema; their DDL must never change once released (add a new function
 * and migration instead), because applied migrations are history.
 */
export async function createOutboxTableV1(queryRunner: QueryRunner, schema: string): Promise<void> {
  const table = `"${schema}"."outbox"`;
  await queryRunner.query(`
    CREATE TABLE ${table} (
      id             uuid        PRIMARY KEY,
      sequence       bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
      aggregatetype  text        NOT NULL,
      aggregateid    text        NOT NULL,
      type           text        NOT NULL,
      topic          text        NOT NULL,
      payload        jsonb       NOT NULL,
      headers        jsonb       NOT NULL DEFAULT '{}'::jsonb,
      created_at     timestamptz NOT NULL DEFAULT now(),
      published_at   timestamptz
    )`);
  // The relay reads only unpublished rows in sequence order; a partial index keeps that read small.
  await queryRunner.query(
    `CREATE INDEX "outbox_unpublished_idx" ON ${table} (sequence) WHERE published_at IS NULL`,
  );
  await queryRunner.query(`CREATE INDEX "outbox_published_at_idx" ON ${table} (published_at)`);
}

export async function dropOutboxTableV1(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`DROP TABLE "${schema}"."outbox"`);
}

/** The LISTEN/NOTIFY channel on which a service's relay is woken when outbox rows commit. */
export function outboxChannel(schema: string): string {
  return `${schema}_outbox`;
}

/**
 * Wakes the relay when rows commit: NOTIFY is delivered only at commit (never for a rolled-back insert) and
 * Postgres folds identical notifications of one transaction into one, so a statement-level trigger costs a
 * single notification per writing transaction. The relay also polls, so a lost notification delays, never
 * loses, an event.
 */
export async function createOutboxNotifyTriggerV1(queryRunner: QueryRunner, schema: string): Promise<void> {
  const channel = outboxChannel(schema);
  await queryRunner.query(`
    CREATE FUNCTION "${schema}"."outbox_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('${channel}', '');
      RETURN NULL;
    END $$`);
  await queryRunner.query(`
    CREATE TRIGGER "outbox_notify" AFTER INSERT ON "${schema}"."outbox"
    FOR EACH STATEMENT EXECUTE FUNCTION "${schema}"."outbox_notify"()`);
}

export async function dropOutboxNotifyTriggerV1(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`DROP TRIGGER "outbox_notify" ON "${schema}"."outbox"`);
  await queryRunner.query(`DROP FUNCTION "${schema}"."outbox_notify"()`);
}

/**
 * Removes the NOTIFY trigger (`createOutboxNotifyTriggerV1`): a notifying transaction holds a database-wide
 * lock from its commit until the commit record is flushed, so with the trigger concurrent use cases could
 * not share a group commit (measured: 643 transactions/s with it, 1,540 without, 32 in flight). The relay is
 * woken after the commit instead, from a connection of its own (`PgOutboxWakeUp`). `IF EXISTS`: a schema
 * that never had the trigger migrates as well. Reverted by `createOutboxNotifyTriggerV1`.
 */
export async function removeOutboxNotifyTriggerV1(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`DROP TRIGGER IF EXISTS "outbox_notify" ON "${schema}"."outbox"`);
  await queryRunner.query(`DROP FUNCTION IF EXISTS "${schema}"."outbox_notify"()`);
}

/** The outbox's autovacuum settings (`tuneOutboxAutovacuumV1`), as storage parameters. */
export const OUTBOX_AUTOVACUUM_V1 = {
  autovacuum_vacuum_scale_factor: '0',
  autovacuum_vacuum_threshold: '5000',
  autovacuum_analyze_scale_factor: '0',
  autovacuum_analyze_threshold: '5000',
} as const;

/**
 * Vacuums the outbox after every 5,000 dead rows, whatever its size. Each event leaves one dead row when the
 * relay marks it published and another when it is pruned; with the default scale factor (20 % of the table)
 * a burst waits for the next autovacuum cycle, and meanwhile the relay's index scan wades through dead
 * entries (measured: p99 publish latency ~360 ms right after draining 100,000 events, until a vacuum).
 * Reverted by `resetOutboxAutovacuumV1`.
 */
export async function tuneOutboxAutovacuumV1(queryRunner: QueryRunner, schema: string): Promise<void> {
  const settings = Object.entries(OUTBOX_AUTOVACUUM_V1)
    .map(([name, value]) => `${name} = ${value}`)
    .join(', ');
  await queryRunner.query(`ALTER TABLE "${schema}"."outbox" SET (${settings})`);
}

export async function resetOutboxAutovacuumV1(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(
    `ALTER TABLE "${schema}"."outbox" RESET (${Object.keys(OUTBOX_AUTOVACUUM_V1).join(', ')})`,
  );
}
