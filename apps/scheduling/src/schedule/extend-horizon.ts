import { Injectable } from '@nestjs/common';
import { type Transaction, UnitOfWork } from '@stepwise/messaging';
import { localDateOf, weekStartOf } from '@stepwise/care-rules';
import { ScheduleGenerator } from './schedule-generator';
import { ScheduleRepository } from './schedule.repository';

export interface ExtensionResult {
  readonly sites: number;
  readonly appointments: number;
  readonly belowMinimum: number;
}

/** Session-level advisory lock key: one replica extends horizons at a time. */
const JOB_LOCK = 'scheduling:horizon-extension';
const SITES_IN_PARALLEL = 2;
const NOTHING: ExtensionResult = { sites: 0, appointments: 0, belowMinimum: 0 };

/**
 * Extends the rolling horizon: every site's series get occurrences up to four weeks ahead, every seat its
 * appointments, each newly complete week its level-minimum check. One transaction per site, so a large
 * network commits (and the relay starts publishing) site by site. The daily job runs it for the system (no
 * caller, so no access check): its first line takes the job's lock instead.
 */
@Injectable()
export class ExtendHorizon {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly repository: ScheduleRepository,
    private readonly generator: ScheduleGenerator,
  ) {}

  /**
   * Extends every active site, unless another replica is already doing it (answers undefined then). The
   * lock is a session advisory lock held on one connection for the whole run.
   */
  execute(now: Date): Promise<ExtensionResult | undefined> {
    return this.repository.exclusively(JOB_LOCK, async (manager) => {
      const sites = await this.repository.activeSiteIds(manager);
      let total = NOTHING;
      let next = 0;
      // Sites are independent (their own series, clients and keys): two at a time keep the database busy
      // while this process encodes the previous site's events.
      const worker = async (): Promise<void> => {
        for (let id = sites[next++]; id !== undefined; id = sites[next++]) {
          const siteId = id;
          const result = await this.unitOfWork.run((tx) => this.extendSite(tx, siteId, now));
          total = {
            sites: total.sites + result.sites,
            appointments: total.appointments + result.appointments,
            belowMinimum: total.belowMinimum + result.belowMinimum,
          };
        }
      };
      await Promise.all(Array.from({ length: SITES_IN_PARALLEL }, worker));
      return total;
    });
  }

  /** One site's extension, in the transaction given. */
  async extendSite(tx: Transaction, siteId: string, now: Date): Promise<ExtensionResult> {
    const site = await this.generator.loadSite(tx, siteId);
    if (site === undefined || !site.active) return NOTHING;
    const until = this.generator.horizonEnd(site, now);
    const previous = await this.generator.extendOccurrences(tx, site, now, until);
    const appointments = await this.generator.fillSeats(tx, site.id, now);
    // A site's first run judges the first full week from today; later runs the weeks newly complete.
    const from = previous === null ? localDateOf(now, site.time_zone) : weekStartOf(previous);
    const belowMinimum = await this.generator.checkLevelMinimums(tx, site, { from, until });
    return { sites: 1, appointments, belowMinimum };
  }
}
