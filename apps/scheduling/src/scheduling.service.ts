import { replayDeadLettersCommand } from '@stepwise/messaging';
import { type ServiceDefinition, type ServiceDatabaseOptions } from '@stepwise/platform';
import { configureHttp } from '@stepwise/security';
import { SchedulingConfig } from './config/scheduling.config';
import { schedulingMigrations } from './migrations';
import { SchedulingModule } from './scheduling.module';
import { SCHEDULING_SCHEMA } from './scheduling.schema';

export const schedulingDatabase: ServiceDatabaseOptions = {
  schema: SCHEDULING_SCHEMA,
  migrations: schedulingMigrations,
};

/** How the scheduling process is configured, migrated and served (see runService). */
export const schedulingService: ServiceDefinition<SchedulingConfig> = {
  name: 'scheduling',
  config: SchedulingConfig,
  database: schedulingDatabase,
  module: (config) => SchedulingModule.register(config),
  configureHttp,
  commands: { 'replay-dead-letters': replayDeadLettersCommand },
};
