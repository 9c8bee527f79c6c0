import { messagingMigrations } from '@stepwise/messaging';
import { securityMigrations } from '@stepwise/security';
import { NOTIFICATIONS_SCHEMA } from '../notifications.schema';
import { CreateNotificationTables1764000000000 } from './1764000000000-create-notification-tables';
import { AlertSubjects1765000000000 } from './1765000000000-alert-subjects';
import { RecordDisclosedContent1765000100000 } from './1765000100000-record-disclosed-content';
import { WebhookDeliveryOrderAndLifecycle1796392020000 } from './1796392020000-webhook-delivery-order-and-lifecycle';
import { EpisodeTransfers1796392740000 } from './1796392740000-episode-transfers';
import { WebhookPayloadFormat1796393000000 } from './1796393000000-webhook-payload-format';

/**
 * Every migration of the notifications schema: the platform libraries' tables (outbox, inbox, audit, idempotency) and
 * the service's own. The bundle has no folder to scan, so they are listed here; TypeORM applies them in
 * timestamp order.
 */
export const notificationsMigrations = [
  ...messagingMigrations(NOTIFICATIONS_SCHEMA),
  ...securityMigrations(NOTIFICATIONS_SCHEMA),
  CreateNotificationTables1764000000000,
  AlertSubjects1765000000000,
  RecordDisclosedContent1765000100000,
  WebhookDeliveryOrderAndLifecycle1796392020000,
  EpisodeTransfers1796392740000,
  WebhookPayloadFormat1796393000000,
];
