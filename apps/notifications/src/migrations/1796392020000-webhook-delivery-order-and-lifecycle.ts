import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { NOTIFICATIONS_SCHEMA } from '../notifications.schema';

const S = `"${NOTIFICATIONS_SCHEMA}"`;

/**
 * Webhooks delivered in order per client and subscription, and a subscription's lifecycle (issue #22):
 * - `notifications.queue_seq`: the order in which deliveries were queued (for one client and subscription, the
 *   order its events were consumed). A delivery waits while an earlier one of its stream is still pending;
 *   the partial index serves that look-up.
 * - `webhook_subscriptions`: why and when it was disabled, when it last received a delivery (what it missed
 *   since), and the previous secret with the end of its overlap window (rotation sends both signatures).
 * - `webhook_replays`: each catch-up and replay a network admin asked for, and how many deliveries it queued.
 */
export class WebhookDeliveryOrderAndLifecycle1796392020000 implements MigrationInterface {
  name = 'WebhookDeliveryOrderAndLifecycle1796392020000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE ${S}.notifications ADD COLUMN queue_seq bigserial;
      CREATE INDEX notifications_webhook_stream ON ${S}.notifications (subscription_id, client_id, queue_seq)
        WHERE subscription_id IS NOT NULL AND status IN ('queued', 'sending');
      ALTER TABLE ${S}.webhook_subscriptions
        ADD COLUMN disabled_reason text CHECK (disabled_reason IN ('failures', 'administrator')),
        ADD COLUMN last_delivered_at timestamptz,
        ADD COLUMN previous_secret text,
        ADD COLUMN previous_secret_expires_at timestamptz,
        ADD COLUMN secret_rotated_at timestamptz;
      UPDATE ${S}.webhook_subscriptions SET disabled_reason = 'failures'
        WHERE status = 'disabled' AND consecutive_failures > 0;
      UPDATE ${S}.webhook_subscriptions SET disabled_reason = 'administrator'
        WHERE status = 'disabled' AND disabled_reason IS NULL;
      CREATE TABLE ${S}.webhook_replays (
        id uuid PRIMARY KEY,
        subscription_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('catch-up', 'replay')),
        range_from timestamptz,
        range_to timestamptz,
        queued integer NOT NULL,
        withheld integer NOT NULL,
        requested_by text NOT NULL,
        requested_at timestamptz NOT NULL
      );
      CREATE INDEX webhook_replays_subscription ON ${S}.webhook_replays (subscription_id, requested_at);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE ${S}.webhook_replays;
      ALTER TABLE ${S}.webhook_subscriptions DROP COLUMN secret_rotated_at, DROP COLUMN previous_secret_expires_at,
        DROP COLUMN previous_secret, DROP COLUMN last_delivered_at, DROP COLUMN disabled_reason;
      DROP INDEX ${S}.notifications_webhook_stream;
      ALTER TABLE ${S}.notifications DROP COLUMN queue_seq;
    `);
  }
}
