import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { NOTIFICATIONS_SCHEMA } from '../notifications.schema';

const S = `"${NOTIFICATIONS_SCHEMA}"`;

/**
 * A subscription's payload format (issue #22): `cloudevents-json` (the event's payload, what every existing
 * subscription has received so far, hence the default) or `fhir-r4` (the FHIR resource the event changed).
 */
export class WebhookPayloadFormat1796393000000 implements MigrationInterface {
  name = 'WebhookPayloadFormat1796393000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE ${S}.webhook_subscriptions ADD COLUMN payload_format text NOT NULL DEFAULT 'cloudevents-json'
         CHECK (payload_format IN ('cloudevents-json', 'fhir-r4'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ${S}.webhook_subscriptions DROP COLUMN payload_format`);
  }
}
