// Tracing first: it must patch http, pg, ioredis, kafkajs and Nest before they load.
import './instrumentation';
import 'reflect-metadata';
import { runService } from '@stepwise/platform';
import { schedulingDefinition } from './scheduling.definition';

runService(schedulingDefinition).catch((error: unknown) => {
  process.stderr.write(
    `scheduling failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
