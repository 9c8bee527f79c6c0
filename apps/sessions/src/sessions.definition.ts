import { replayDeadLettersCommand } from '@stepwise/messaging';
import { type ServiceDefinition } from '@stepwise/platform';
import { configureHttp } from '@stepwise/security';
import { SessionsConfig } from './config/sessions.config';
import { sessionsDatabase } from './sessions.database';
import { SessionsModule } from './sessions.module';

/** How the sessions process is configured, migrated and served (see runService); `main.ts` runs it. */
export const sessionsDefinition: ServiceDefinition<SessionsConfig> = {
  name: 'sessions',
  config: SessionsConfig,
  database: sessionsDatabase,
  module: (config) => SessionsModule.register(config),
  configureHttp,
  commands: { 'replay-dead-letters': replayDeadLettersCommand },
};
