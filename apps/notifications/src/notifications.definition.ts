import { replayDeadLettersCommand } from '@stepwise/messaging';
import { type ServiceDefinition } from '@stepwise/platform';
import { configureHttp } from '@stepwise/security';
import { NotificationsConfig } from './config/notifications.config';
import { notificationsDatabase } from './notifications.database';
import { NotificationsModule } from './notifications.module';

/** How the notifications process is configured, migrated and served (see runService); `main.ts` runs it. */
export const notificationsDefinition: ServiceDefinition<NotificationsConfig> = {
  name: 'notifications',
  config: NotificationsConfig,
  database: notificationsDatabase,
  module: (config) => NotificationsModule.register(config),
  configureHttp,
  commands: { 'replay-dead-letters': replayDeadLettersCommand },
};
