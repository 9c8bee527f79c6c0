// Tracing first: it must patch http, pg, ioredis, kafkajs and Nest before they load.
import './instrumentation';
import 'reflect-metadata';
import { runService } from '@stepwise/platform';
import { sessionsDefinition } from './sessions.definition';

runService(sessionsDefinition).catch((error: unknown) => {
  process.stderr.write(
    `sessions failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
