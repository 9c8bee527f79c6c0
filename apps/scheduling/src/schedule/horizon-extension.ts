import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { type Transaction, UnitOfWork } from '@stepwise/messaging';
import { DataSource } from 'typeorm';
import { Clock } from '@stepwise/platform';
import { localDateOf, weekStartOf } from '@stepwise/care-rules';
import { table } from '../scheduling.schema';
import { ScheduleGenerator } from './schedule-generator';

export interface ExtensionResult {
  readonly sites: number;
  readonly appointments: number;
  readonly belowMinimum: number;
}

/** Session-level advisory lock key: one replica extends horizons at a time. */
const JOB_LOCK = 'scheduling:horizon-extension';
const CHECK_EVERY_MS = 15 * 60 * 1000;
const FIRST_CHECK_AFTER_MS = 10_000;
const SITES_IN_PARALLEL = 2;

/**
 * The rolling horizon: every site's series get occurrences up to four weeks ahead, every seat its
 * appointments, each newly complete week its level-minimum check. One transaction per site, so a large
 * network commits (and the relay starts publishing) site by site.
 */
@Injectable()
export class HorizonExtension {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly dataSource: DataSource,
    private readonly generator: ScheduleGenerator,
  ) {}

  async extendSite(tx: Transaction, siteId: string, now: Date): Promise<ExtensionResult> {
    const site = await this.generator.loadSite(tx, siteId);
    if (site === undefined || !site.active) return { sites: 0, appointments: 0, belowMinimum: 0 };
    const until = this.generator.horizonEnd(site, now);
    const previous = await this.generator.extendOccurrences(tx, site, now, until);
    const appointments = await this.generator.fillSeats(tx, site.id, now);
    // A site's first run judges the first full week from today; later runs the weeks newly complete.
    const from = previous === null ? localDateOf(now, site.time_zone) : weekStartOf(previous);
    const belowMinimum = await this.generator.checkLevelMinimums(tx, site, { from, until });
    return { sites: 1, appointments, belowMinimum };
  }

  /**
   * Extends every active site, unless another replica is already doing it (answers undefined then). The
   * lock is a session advisory lock held on one connection for the whole run.
   */
  async extendAll(now: Date): Promise<ExtensionResult | undefined> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [lock] = (await runner.query('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [
        JOB_LOCK,
      ])) as { locked: boolean }[];
      if (lock?.locked !== true) return undefined;
      try {
        const sites = (await runner.query(`SELECT id FROM ${table('sites')} WHERE active ORDER BY id`)) as {
          id: string;
        }[];
        let total: ExtensionResult = { sites: 0, appointments: 0, belowMinimum: 0 };
        let next = 0;
        // Sites are independent (their own series, clients and keys): two at a time keep the database busy
        // while this process encodes the previous site's events.
        const worker = async (): Promise<void> => {
          for (let site = sites[next++]; site !== undefined; site = sites[next++]) {
            const { id } = site;
            const result = await this.unitOfWork.run((tx) => this.extendSite(tx, id, now));
            total = {
              sites: total.sites + result.sites,
              appointments: total.appointments + result.appointments,
              belowMinimum: total.belowMinimum + result.belowMinimum,
            };
          }
        };
        await Promise.all(Array.from({ length: SITES_IN_PARALLEL }, worker));
        return total;
      } finally {
        await runner.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [JOB_LOCK]);
      }
    } finally {
      await runner.release();
    }
  }
}

/** Runs the extension in the service once a day (checked every 15 minutes; a missed day is caught up). */
@Injectable()
export class HorizonJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('HorizonJob');
  private timer: NodeJS.Timeout | undefined;
  private lastDay: string | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;

  constructor(
    private readonly extension: HorizonExtension,
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
    this.running = this.extension
      .extendAll(now)
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
