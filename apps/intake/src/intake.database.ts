import { type ServiceDatabaseOptions } from '@stepwise/platform';
import { intakeMigrations } from './migrations';
import { INTAKE_SCHEMA } from './intake.schema';

/** The intake service's schema and its migrations: used by the process definition, the module and the schema tests. */
export const intakeDatabase: ServiceDatabaseOptions = { schema: INTAKE_SCHEMA, migrations: intakeMigrations };
