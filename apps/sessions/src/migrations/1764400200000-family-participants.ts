import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { SESSIONS_SCHEMA } from '../sessions.schema';

/**
 * Family members at family sessions: intake's consents to family members (ids and dates only, projected from
 * ConsentGranted/ConsentRevoked) and who of them was present or absent — kept apart from the client's
 * attendance, so they never count toward the client's hours.
 */
export class FamilyParticipants1764400200000 implements MigrationInterface {
  name = 'FamilyParticipants1764400200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "${SESSIONS_SCHEMA}"."family_consents" (
        consent_id       uuid        PRIMARY KEY,
        client_id        uuid        NOT NULL,
        family_member_id uuid        NOT NULL,
        granted_at       timestamptz NOT NULL,
        expires_at       timestamptz NOT NULL,
        revoked_at       timestamptz
      )`,
    );
    await queryRunner.query(
      `CREATE INDEX family_consents_client ON "${SESSIONS_SCHEMA}"."family_consents" (client_id, family_member_id)`,
    );
    await queryRunner.query(
      `CREATE TABLE "${SESSIONS_SCHEMA}"."family_participants" (
        appointment_id   uuid        NOT NULL,
        family_member_id uuid        NOT NULL,
        status           text        NOT NULL CHECK (status IN ('present', 'absent')),
        recorded_by      text        NOT NULL,
        recorded_at      timestamptz NOT NULL,
        PRIMARY KEY (appointment_id, family_member_id)
      )`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "${SESSIONS_SCHEMA}"."family_participants"`);
    await queryRunner.query(`DROP TABLE "${SESSIONS_SCHEMA}"."family_consents"`);
  }
}
