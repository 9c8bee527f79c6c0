import { replayDeadLettersCommand } from '@stepwise/messaging';
import { type ServiceDefinition } from '@stepwise/platform';
import { configureHttp } from '@stepwise/security';
import { SchedulingConfig } from './config/scheduling.config';
import { schedulingDatabase } from './scheduling.database';
import { SchedulingModule } from './scheduling.module';

/** How the scheduling process is configured, migrated and served (see runService); `main.ts` runs it. */
export const schedulingDefinition: ServiceDefinition<SchedulingConfig> = {
  name: 'scheduling',
  config: SchedulingConfig,
  database: schedulingDatabase,
  module: (config) => SchedulingModule.register(config),
  configureHttp,
  commands: { 'replay-dead-letters': replayDeadLettersCommand },
};
