import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { INTAKE_SCHEMA } from '../intake.schema';

const S = `"${INTAKE_SCHEMA}"`;

/**
 * The rest of 42 CFR 2.31 / 2.14 on a consent: a minor's parent or guardian signature and the signer rule
 * applied, and the redisclosure statement (version and exact text) it was granted with. Consents granted
 * before have none: disclosures under them cannot carry the statement and are not made until re-consented.
 */
export class ConsentSignersAndRedisclosure1764900000000 implements MigrationInterface {
  name = 'ConsentSignersAndRedisclosure1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE ${S}.consents ADD COLUMN guardian_signed_by text, ADD COLUMN guardian_signed_on date,
         ADD COLUMN signer_rule text, ADD COLUMN redisclosure_version text, ADD COLUMN redisclosure_text text`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE ${S}.consents DROP COLUMN guardian_signed_by, DROP COLUMN guardian_signed_on,
         DROP COLUMN signer_rule, DROP COLUMN redisclosure_version, DROP COLUMN redisclosure_text`,
    );
  }
}
