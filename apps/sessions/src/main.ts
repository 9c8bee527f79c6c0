import 'reflect-metadata';
import { runService } from '@stepwise/platform';
import { sessionsService } from './sessions.service';

runService(sessionsService).catch((error: unknown) => {
  process.stderr.write(
    `sessions failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
