import { type QueryRunner } from 'typeorm';

/**
 * Idempotency keys per principal (architecture.md, "HTTP API"): the first request's fingerprint and, once it
 * succeeded, its status and response body, kept until `expires_at`. Rows are short-lived; the stored
 * response has the same sensitivity as the record it created and never leaves the service's schema.
 *
 * Migrations call this with their schema as the schema owner; its DDL never changes once released.
 */
export async function createIdempotencyTableV1(queryRunner: QueryRunner, schema: string): Promise<void> {
  const table = `"${schema}"."idempotency_keys"`;
  await queryRunner.query(`
    CREATE TABLE ${table} (
      principal      text        NOT NULL,
      key            text        NOT NULL,
      fingerprint    text        NOT NULL,
      status_code    integer,
      response_body  jsonb,
      created_at     timestamptz NOT NULL DEFAULT now(),
      completed_at   timestamptz,
      expires_at     timestamptz NOT NULL,
      PRIMARY KEY (principal, key)
    )`);
  await queryRunner.query(`CREATE INDEX "idempotency_keys_expires_idx" ON ${table} (expires_at)`);
}

export async function dropIdempotencyTableV1(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`DROP TABLE "${schema}"."idempotency_keys"`);
}
