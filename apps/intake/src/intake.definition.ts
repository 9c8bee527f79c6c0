import { replayDeadLettersCommand } from '@stepwise/messaging';
import { type ServiceDefinition } from '@stepwise/platform';
import { configureHttp } from '@stepwise/security';
import { IntakeConfig } from './config/intake.config';
import { intakeDatabase } from './intake.database';
import { IntakeModule } from './intake.module';

/** How the intake process is configured, migrated and served (see runService); `main.ts` runs it. */
export const intakeDefinition: ServiceDefinition<IntakeConfig> = {
  name: 'intake',
  config: IntakeConfig,
  database: intakeDatabase,
  module: (config) => IntakeModule.register(config),
  configureHttp,
  commands: { 'replay-dead-letters': replayDeadLettersCommand },
};
