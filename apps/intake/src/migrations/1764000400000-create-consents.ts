import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { INTAKE_SCHEMA } from '../intake.schema';

const S = `"${INTAKE_SCHEMA}"`;

/** 42 CFR Part 2 consents (every §2.31 element a column) and their written revocations. */
export class CreateConsents1764000400000 implements MigrationInterface {
  name = 'CreateConsents1764000400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ${S}.consents (
        id                             uuid        PRIMARY KEY,
        client_id                      uuid        NOT NULL REFERENCES ${S}.clients (id),
        site_id                        uuid        NOT NULL,
        network_id                     uuid,
        disclosing_program_id          uuid        NOT NULL,
        recipient_kind                 text        NOT NULL,
        recipient_id                   uuid        NOT NULL,
        recipient_name                 text,
        information_categories         text[]      NOT NULL,
        purposes                       text[]      NOT NULL,
        expires_at                     timestamptz NOT NULL,
        expiry_event                   text,
        signed_by                      text        NOT NULL,
        signed_on                      date        NOT NULL,
        right_to_revoke_acknowledged   boolean     NOT NULL CHECK (right_to_revoke_acknowledged),
        granted_at                     timestamptz NOT NULL,
        revoked_at                     timestamptz,
        revoked_by                     text,
        revocation_received_on         date,
        created_by                     text        NOT NULL,
        created_at                     timestamptz NOT NULL DEFAULT clock_timestamp(),
        CHECK (expires_at > granted_at)
      )`);
    await queryRunner.query(
      `CREATE INDEX consents_recipient_idx ON ${S}.consents (client_id, recipient_kind, recipient_id)`,
    );
    await queryRunner.query(`CREATE INDEX consents_client_idx ON ${S}.consents (client_id, created_at, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${S}.consents`);
  }
}
