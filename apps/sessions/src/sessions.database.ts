import { type ServiceDatabaseOptions } from '@stepwise/platform';
import { sessionsMigrations } from './migrations';
import { SESSIONS_SCHEMA } from './sessions.schema';

/** The sessions service's schema and its migrations: used by the process definition, the module and the schema tests. */
export const sessionsDatabase: ServiceDatabaseOptions = {
  schema: SESSIONS_SCHEMA,
  migrations: sessionsMigrations,
};
