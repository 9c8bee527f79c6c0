import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { INTAKE_SCHEMA } from '../intake.schema';

const S = `"${INTAKE_SCHEMA}"`;

/** How to reach a consent's recipient (a family member), for disclosures the notifications service sends. */
export class ConsentRecipientContacts1764000600000 implements MigrationInterface {
  name = 'ConsentRecipientContacts1764000600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE ${S}.consents ADD COLUMN recipient_phone text, ADD COLUMN recipient_email text`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE ${S}.consents DROP COLUMN recipient_phone, DROP COLUMN recipient_email`,
    );
  }
}
