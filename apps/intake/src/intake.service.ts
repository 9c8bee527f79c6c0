import { replayDeadLettersCommand } from '@stepwise/messaging';
import { type ServiceDefinition, type ServiceDatabaseOptions } from '@stepwise/platform';
import { configureHttp } from '@stepwise/security';
import { IntakeConfig } from './config/intake.config';
import { intakeMigrations } from './migrations';
import { IntakeModule } from './intake.module';
import { INTAKE_SCHEMA } from './intake.schema';

export const intakeDatabase: ServiceDatabaseOptions = { schema: INTAKE_SCHEMA, migrations: intakeMigrations };

/** How the intake process is configured, migrated and served (see runService). */
export const intakeService: ServiceDefinition<IntakeConfig> = {
  name: 'intake',
  config: IntakeConfig,
  database: intakeDatabase,
  module: (config) => IntakeModule.register(config),
  configureHttp,
  commands: { 'replay-dead-letters': replayDeadLettersCommand },
};
