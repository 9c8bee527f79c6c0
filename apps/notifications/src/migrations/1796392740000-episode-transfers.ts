import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { NOTIFICATIONS_SCHEMA } from '../notifications.schema';

const S = `"${NOTIFICATIONS_SCHEMA}"`;

/**
 * Site transfers (ClientTransferred, issue #19): an episode's projection keeps the site it continues at and
 * when and from where it moved, so alerts go to the new site's staff and reminders of the old site's
 * appointments from the move on are cancelled.
 */
export class EpisodeTransfers1796392740000 implements MigrationInterface {
  name = 'EpisodeTransfers1796392740000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE ${S}.episodes ADD COLUMN transferred_at timestamptz, ADD COLUMN transferred_from_site_id uuid`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE ${S}.episodes DROP COLUMN transferred_at, DROP COLUMN transferred_from_site_id`,
    );
  }
}
