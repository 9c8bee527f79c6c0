import { type ServiceDatabaseOptions } from '@stepwise/platform';
import { schedulingMigrations } from './migrations';
import { SCHEDULING_SCHEMA } from './scheduling.schema';

/** The scheduling service's schema and its migrations: used by the process definition, the module and the schema tests. */
export const schedulingDatabase: ServiceDatabaseOptions = {
  schema: SCHEDULING_SCHEMA,
  migrations: schedulingMigrations,
};
