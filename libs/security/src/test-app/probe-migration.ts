import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { createAuditTableV1 } from '../audit/audit-table';
import { createIdempotencyTableV1 } from '../idempotency/idempotency-table';

export const PROBE_SCHEMA = 'intake';

/**
 * Test-only: the tables of the probe app — the real audit and idempotency tables, and `probe_records`, a
 * small client-owned resource with a site, a network and server-controlled fields, like a service's records.
 */
export class CreateProbeTables1763900000001 implements MigrationInterface {
  name = 'CreateProbeTables1763900000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createAuditTableV1(queryRunner, PROBE_SCHEMA);
    await createIdempotencyTableV1(queryRunner, PROBE_SCHEMA);
    await queryRunner.query(`
      CREATE TABLE "${PROBE_SCHEMA}"."probe_records" (
        id          uuid        PRIMARY KEY,
        site_id     uuid        NOT NULL,
        network_id  uuid,
        client_id   uuid        NOT NULL,
        label       text        NOT NULL,
        kind        text        NOT NULL,
        observed_on date        NOT NULL,
        status      text        NOT NULL,
        created_by  text        NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    // A column typed uuid lets a test provoke a database error that quotes the offending value.
    await queryRunner.query(`
      CREATE TABLE "${PROBE_SCHEMA}"."probe_contacts" (id uuid PRIMARY KEY, site_id uuid NOT NULL, reference uuid NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "${PROBE_SCHEMA}"."probe_contacts"`);
    await queryRunner.query(`DROP TABLE "${PROBE_SCHEMA}"."probe_records"`);
  }
}
