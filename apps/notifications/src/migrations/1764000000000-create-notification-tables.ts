import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { NOTIFICATIONS_SCHEMA } from '../notifications.schema';

const S = `"${NOTIFICATIONS_SCHEMA}"`;

/**
 * The notifications service's own data: projections of other services' facts (sites, staff, episodes,
 * appointments, consents), recipients' preferences, the notification work table (the record of truth for
 * every reminder, alert and disclosure; Redis only holds timers), its append-only delivery log, webhook
 * subscriptions and the accounting of disclosures. No contact details are stored anywhere here.
 */
export class CreateNotificationTables1764000000000 implements MigrationInterface {
  name = 'CreateNotificationTables1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ${S}.sites (
        site_id uuid PRIMARY KEY,
        network_id uuid NOT NULL,
        time_zone text NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE TABLE ${S}.staff (
        staff_id uuid PRIMARY KEY,
        network_id uuid NOT NULL,
        site_ids uuid[] NOT NULL,
        roles text[] NOT NULL,
        active boolean NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE TABLE ${S}.episodes (
        episode_id uuid PRIMARY KEY,
        client_id uuid NOT NULL,
        site_id uuid NOT NULL,
        primary_counselor_id uuid,
        admitted_at timestamptz,
        discharged_at timestamptz
      );
      CREATE INDEX episodes_client ON ${S}.episodes (client_id);
      CREATE TABLE ${S}.appointments (
        appointment_id uuid PRIMARY KEY,
        client_id uuid NOT NULL,
        episode_id uuid NOT NULL,
        site_id uuid NOT NULL,
        starts_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('scheduled', 'cancelled'))
      );
      CREATE INDEX appointments_episode ON ${S}.appointments (episode_id);
      CREATE TABLE ${S}.consents (
        consent_id uuid PRIMARY KEY,
        client_id uuid NOT NULL,
        recipient_kind text NOT NULL,
        recipient_id uuid NOT NULL,
        purposes text[] NOT NULL,
        categories text[] NOT NULL,
        granted_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      );
      CREATE INDEX consents_client_recipient ON ${S}.consents (client_id, recipient_id);
      CREATE TABLE ${S}.recipient_preferences (
        recipient_id uuid PRIMARY KEY,
        recipient_kind text NOT NULL CHECK (recipient_kind IN ('client', 'family', 'staff')),
        site_id uuid NOT NULL,
        channels text[] NOT NULL,
        quiet_start time,
        quiet_end time,
        time_zone text,
        preferred_language text,
        opted_out boolean NOT NULL DEFAULT false,
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE ${S}.notifications (
        id uuid PRIMARY KEY,
        dedupe_key text NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('reminder', 'alert', 'escalation', 'family-update', 'webhook')),
        trigger_event_id uuid NOT NULL,
        recipient_id uuid NOT NULL,
        recipient_kind text NOT NULL CHECK (recipient_kind IN ('client', 'family', 'staff', 'system')),
        client_id uuid,
        site_id uuid,
        channel text CHECK (channel IN ('email', 'sms', 'webhook')),
        template_code text,
        params jsonb NOT NULL DEFAULT '{}',
        urgent boolean NOT NULL DEFAULT false,
        appointment_id uuid,
        status text NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'suppressed', 'cancelled')),
        reason text,
        attempts integer NOT NULL DEFAULT 0,
        due_at timestamptz NOT NULL,
        claimed_at timestamptz,
        requires_ack boolean NOT NULL DEFAULT false,
        acknowledged_at timestamptz,
        acknowledged_by text,
        escalate_at timestamptz,
        escalated_at timestamptz,
        subscription_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX notifications_due ON ${S}.notifications (due_at) WHERE status IN ('queued', 'sending');
      CREATE INDEX notifications_appointment ON ${S}.notifications (appointment_id) WHERE appointment_id IS NOT NULL;
      CREATE INDEX notifications_escalation ON ${S}.notifications (escalate_at)
        WHERE requires_ack AND acknowledged_at IS NULL AND escalated_at IS NULL;
      CREATE INDEX notifications_subscription ON ${S}.notifications (subscription_id, created_at)
        WHERE subscription_id IS NOT NULL;
      CREATE TABLE ${S}.notification_log (
        id bigserial PRIMARY KEY,
        notification_id uuid NOT NULL,
        status text NOT NULL,
        reason text,
        channel text,
        attempt integer NOT NULL DEFAULT 0,
        at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX notification_log_notification ON ${S}.notification_log (notification_id, id);
      CREATE TABLE ${S}.webhook_subscriptions (
        id uuid PRIMARY KEY,
        network_id uuid,
        organisation_id uuid NOT NULL,
        recipient_kind text NOT NULL,
        purposes text[] NOT NULL,
        event_types text[] NOT NULL,
        url text NOT NULL,
        secret text NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'disabled')),
        consecutive_failures integer NOT NULL DEFAULT 0,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        disabled_at timestamptz
      );
      CREATE TABLE ${S}.disclosures (
        id uuid PRIMARY KEY,
        notification_id uuid NOT NULL UNIQUE,
        client_id uuid NOT NULL,
        site_id uuid,
        recipient_kind text NOT NULL,
        recipient_id uuid NOT NULL,
        consent_id uuid NOT NULL,
        purpose text NOT NULL,
        category text NOT NULL,
        event_type text NOT NULL,
        notice_version text NOT NULL,
        disclosed_at timestamptz NOT NULL
      );
      CREATE INDEX disclosures_client ON ${S}.disclosures (client_id, disclosed_at, id);
    `);
    // The delivery log and the accounting of disclosures are history: the application role only appends.
    await queryRunner.query(`
      DO $$ DECLARE r text; BEGIN
        FOR r IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
          WHERE table_schema = '${NOTIFICATIONS_SCHEMA}' AND table_name IN ('notification_log', 'disclosures')
            AND grantee <> current_user LOOP
          EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON ${S}.notification_log, ${S}.disclosures FROM %I', r);
        END LOOP;
      END $$;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      [
        'disclosures',
        'webhook_subscriptions',
        'notification_log',
        'notifications',
        'recipient_preferences',
        'consents',
        'appointments',
        'episodes',
        'staff',
        'sites',
      ]
        .map((table) => `DROP TABLE ${S}.${table};`)
        .join('\n'),
    );
  }
}
