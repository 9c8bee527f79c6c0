// Tracing first: it must patch http, pg, ioredis, kafkajs and Nest before they load.
import './instrumentation';
import 'reflect-metadata';
import { runService } from '@stepwise/platform';
import { notificationsDefinition } from './notifications.definition';

runService(notificationsDefinition).catch((error: unknown) => {
  process.stderr.write(
    `notifications failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
