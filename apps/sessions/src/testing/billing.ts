import { type EpisodeBillingFacts } from '@stepwise/care-rules';
import { RecordingUnitOfWork } from '@stepwise/messaging';
import { ManualClock } from '@stepwise/platform';
import { InMemoryScopedRecords } from '@stepwise/security';
import { type EntityManager } from 'typeorm';
import { BillingRepository } from '../billing/billing.repository';
import { ExportBilling } from '../billing/export-billing';
import { ListBillableDays } from '../billing/list-billable-days';
import { InMemoryCareRules } from './care-rules';

/** The billing facts of episodes held in memory (the attendance sites come from their sessions). */
export class InMemoryBilling extends BillingRepository {
  readonly episodes = new Map<string, EpisodeBillingFacts>();

  override episodesAttendedAt(
    _m: EntityManager,
    page: { siteId: string; from: string; until: string; afterEpisodeId: string | null; limit: number },
  ): Promise<string[]> {
    const ids = [...this.episodes.values()]
      .filter((e) =>
        e.sessions.some(
          (s) => s.siteId === page.siteId && s.sessionDate >= page.from && s.sessionDate < page.until,
        ),
      )
      .map((e) => e.episodeId)
      .sort()
      .filter((id) => page.afterEpisodeId === null || id > page.afterEpisodeId);
    return Promise.resolve(ids.slice(0, page.limit));
  }

  override facts(_m: EntityManager, episodeIds: readonly string[]): Promise<EpisodeBillingFacts[]> {
    return Promise.resolve(episodeIds.flatMap((id) => this.episodes.get(id) ?? []));
  }
}

/** The billing use cases over in-memory facts; the clock at 2025-04-01 12:00 UTC. */
export function billingUseCases() {
  const uow = new RecordingUnitOfWork();
  const scoped = new InMemoryScopedRecords();
  const billing = new InMemoryBilling();
  const careRules = new InMemoryCareRules();
  const clock = new ManualClock('2025-04-01T12:00:00.000Z');
  return {
    billing,
    careRules,
    audit: scoped.trail,
    week: new ListBillableDays(uow, scoped, scoped.trail, billing, careRules),
    exports: new ExportBilling(uow, scoped, scoped.trail, billing, careRules, clock),
  };
}
