import { replayDeadLettersCommand } from '@stepwise/messaging';
import { type ServiceDefinition, type ServiceDatabaseOptions } from '@stepwise/platform';
import { configureHttp } from '@stepwise/security';
import { SessionsConfig } from './config/sessions.config';
import { sessionsMigrations } from './migrations';
import { SessionsModule } from './sessions.module';
import { SESSIONS_SCHEMA } from './sessions.schema';

export const sessionsDatabase: ServiceDatabaseOptions = {
  schema: SESSIONS_SCHEMA,
  migrations: sessionsMigrations,
};

/** How the sessions process is configured, migrated and served (see runService). */
export const sessionsService: ServiceDefinition<SessionsConfig> = {
  name: 'sessions',
  config: SessionsConfig,
  database: sessionsDatabase,
  module: (config) => SessionsModule.register(config),
  configureHttp,
  commands: { 'replay-dead-letters': replayDeadLettersCommand },
};
