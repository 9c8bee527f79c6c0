import { type QueryRunner } from 'typeorm';

/**
 * The inbox: one row per event a consumer applied, written in the same transaction as the handler's effects,
 * so an event is applied at most once per consumer however often Kafka delivers it. `payload_hash` tells a
 * redelivery (same hash) from a different event reusing an id (flagged).
 *
 * `consumer_failures` counts a record's failed attempts durably (a crash or a restart does not reset the
 * count), so a poison record reaches the dead-letter topic after a bounded number of tries.
 *
 * Migrations call these with their schema; their DDL must never change once released.
 */
export async function createInboxTablesV1(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`
    CREATE TABLE "${schema}"."inbox" (
      consumer      text        NOT NULL,
      event_id      uuid        NOT NULL,
      payload_hash  text        NOT NULL,
      event_type    text        NOT NULL,
      topic         text        NOT NULL,
      partition     integer     NOT NULL,
      "offset"      bigint      NOT NULL,
      received_at   timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, event_id)
    )`);
  await queryRunner.query(`CREATE INDEX "inbox_received_at_idx" ON "${schema}"."inbox" (received_at)`);
  await queryRunner.query(`
    CREATE TABLE "${schema}"."consumer_failures" (
      consumer    text        NOT NULL,
      topic       text        NOT NULL,
      partition   integer     NOT NULL,
      "offset"    bigint      NOT NULL,
      event_id    uuid,
      attempts    integer     NOT NULL,
      last_error  text        NOT NULL,
      updated_at  timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, topic, partition, "offset")
    )`);
}

export async function dropInboxTablesV1(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`DROP TABLE "${schema}"."consumer_failures"`);
  await queryRunner.query(`DROP TABLE "${schema}"."inbox"`);
}
