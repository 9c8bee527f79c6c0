import { type ServiceDatabaseOptions } from '@stepwise/platform';
import { notificationsMigrations } from './migrations';
import { NOTIFICATIONS_SCHEMA } from './notifications.schema';

/** The notifications service's schema and its migrations: used by the process definition, the module and the schema tests. */
export const notificationsDatabase: ServiceDatabaseOptions = {
  schema: NOTIFICATIONS_SCHEMA,
  migrations: notificationsMigrations,
};
