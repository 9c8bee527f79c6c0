import 'reflect-metadata';
import { runService } from '@stepwise/platform';
import { notificationsService } from './notifications.service';

runService(notificationsService).catch((error: unknown) => {
  process.stderr.write(
    `notifications failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
