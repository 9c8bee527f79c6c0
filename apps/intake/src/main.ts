import 'reflect-metadata';
import { runService } from '@stepwise/platform';
import { intakeService } from './intake.service';

runService(intakeService).catch((error: unknown) => {
  process.stderr.write(
    `intake failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
