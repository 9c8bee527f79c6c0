import { type QueryRunner } from 'typeorm';

/**
 * The outbox table every service writes its events to, in the same transaction as its state change.
 * Columns follow Debezium's outbox event router layout (id, aggregatetype, aggregateid, type, payload) so a
 * later move to change-data-capture needs no schema change; `sequence` gives the relay its order and
 * `headers` carries the CloudEvents attributes and W3C trace context.
 *
 * Migrations call this with their schema; its DDL must never change once released (add a new function and
 * migration instead), because applied migrations are history.
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
