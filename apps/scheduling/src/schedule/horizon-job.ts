import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Clock } from '@stepwise/platform';
import { ExtendHorizon } from './extend-horizon';

const CHECK_EVERY_MS = 15 * 60 * 1000;
const FIRST_CHECK_AFTER_MS = 10_000;

/** Runs the extension in the service once a day (checked every 15 minutes; a missed day is caught up). */
@Injectable()
export class HorizonJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('HorizonJob');
  private timer: NodeJS.Timeout | undefined;
  private lastDay: string | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;

  constructor(
    private readonly extendHorizon: ExtendHorizon,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    // The first check waits until the service is up (connections open, migrations applied).
    this.timer = setTimeout(() => {
      this.tick();
      this.timer = setInterval(() => this.tick(), CHECK_EVERY_MS);
      this.timer.unref();
    }, FIRST_CHECK_AFTER_MS);
    this.timer.unref();
  }

  /** Before connections close: no new run starts, and a run in progress finishes its current site. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.running;
  }

  private tick(): void {
    const now = this.clock.now();
    const day = now.toISOString().slice(0, 10);
    if (this.stopping || this.running !== undefined || this.lastDay === day) return;
    this.running = this.extendHorizon
      .execute(now)
      .then((result) => {
        if (result === undefined) return;
        this.lastDay = day;
        this.logger.log({ ...result }, 'Horizon extended');
      })
      .catch((error: unknown) => {
        this.logger.error({ err: error }, 'Horizon extension failed; retried at the next check');
      })
      .finally(() => {
        this.running = undefined;
      });
  }
}
