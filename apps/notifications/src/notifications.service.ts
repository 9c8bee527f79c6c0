import { replayDeadLettersCommand } from '@stepwise/messaging';
import { type ServiceDefinition, type ServiceDatabaseOptions } from '@stepwise/platform';
import { configureHttp } from '@stepwise/security';
import { NotificationsConfig } from './config/notifications.config';
import { notificationsMigrations } from './migrations';
import { NotificationsModule } from './notifications.module';
import { NOTIFICATIONS_SCHEMA } from './notifications.schema';

export const notificationsDatabase: ServiceDatabaseOptions = {
  schema: NOTIFICATIONS_SCHEMA,
  migrations: notificationsMigrations,
};

/** How the notifications process is configured, migrated and served (see runService). */
export const notificationsService: ServiceDefinition<NotificationsConfig> = {
  name: 'notifications',
  config: NotificationsConfig,
  database: notificationsDatabase,
  module: (config) => NotificationsModule.register(config),
  configureHttp,
  commands: { 'replay-dead-letters': replayDeadLettersCommand },
};
