import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { NOTIFICATIONS_SCHEMA } from '../notifications.schema';

const S = `"${NOTIFICATIONS_SCHEMA}"`;

/**
 * What exactly a disclosure carried (42 CFR 2.32, accounting of disclosures): the delivery log's "sent" step
 * and the accounting record keep the SHA-256 of the content sent and the notice version; the accounting also
 * keeps the channel, the consent's scope as carried and the version of its redisclosure statement. Older
 * rows predate this and stay null.
 */
export class RecordDisclosedContent1765000100000 implements MigrationInterface {
  name = 'RecordDisclosedContent1765000100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE ${S}.notification_log ADD COLUMN content_sha256 text, ADD COLUMN notice_version text;
      ALTER TABLE ${S}.disclosures ADD COLUMN channel text, ADD COLUMN content_sha256 text,
        ADD COLUMN redisclosure_version text, ADD COLUMN consent_scope jsonb;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE ${S}.disclosures DROP COLUMN consent_scope, DROP COLUMN redisclosure_version,
        DROP COLUMN content_sha256, DROP COLUMN channel;
      ALTER TABLE ${S}.notification_log DROP COLUMN notice_version, DROP COLUMN content_sha256;
    `);
  }
}
