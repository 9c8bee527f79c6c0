import { Injectable } from '@nestjs/common';
import {
  daysBetween,
  expectedStay,
  localDateOf,
  minimumOfWeek,
  minutesByWeek,
  programShapeFor,
  weekStartOf,
} from '@stepwise/care-rules';
import { isUuid } from '@stepwise/contracts';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import {
  type Actor,
  AuditTrail,
  Page,
  ProblemException,
  ScopedRecords,
  decodeCursor,
  encodeCursor,
  pageLimit,
} from '@stepwise/security';
import { EpisodeFactsRepository } from '../progress/episode-facts.repository';
import { CareRulesRepository } from '../projections/care-rules.repository';
import { SitesRepository, timeZoneOf } from '../projections/sites.repository';
import { type CensusProgressView, type CensusQuery } from './reports.dto';
import { ReportsRepository } from './reports.repository';

/**
 * Sessions' part of a site's census: for each episode not discharged, the hours of the week holding `date`
 * against the level's minimum, the last drug screen and the weeks in the program against the expected length,
 * computed with the same pure rules as the progress summary. Each client listed is audited (progress is PHI).
 */
@Injectable()
export class ReadCensus {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly scoped: ScopedRecords,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly sites: SitesRepository,
    private readonly reports: ReportsRepository,
    private readonly episodes: EpisodeFactsRepository,
    private readonly careRules: CareRulesRepository,
  ) {}

  async census(actor: Actor, siteId: string, query: CensusQuery): Promise<Page<CensusProgressView>> {
    const limit = pageLimit(query);
    const after = query.cursor === undefined ? null : String(decodeCursor(query.cursor, 1)[0]);
    if (after !== null && !isUuid(after)) throw new ProblemException('invalid-cursor');
    // The route's guard checked the site too; the use case does not rely on being reached only through it.
    await this.scoped.assertSite(actor, { siteId }, { action: 'list', resourceType: 'census' });
    return this.uow.run(async (tx) => {
      const zone = timeZoneOf(await this.sites.site(tx.manager, siteId));
      const date = query.date ?? localDateOf(this.clock.now(), zone);
      const weekStart = weekStartOf(date);
      const shape = (await this.careRules.inForce(tx.manager)).programShape;
      const ids = await this.reports.activeEpisodes(tx.manager, siteId, after, limit + 1);
      const items: CensusProgressView[] = [];
      for (const episodeId of ids.slice(0, limit)) {
        const episode = await this.episodes.load(tx.manager, episodeId);
        if (episode === undefined) continue;
        const screens = [...episode.facts.screens].sort((a, b) => (a.collectedAt < b.collectedAt ? -1 : 1));
        const last = screens.filter((s) => s.collectedOn <= date).at(-1);
        const stay = expectedStay(
          episode.trackExpectedStayWeeks,
          programShapeFor(shape, episode.level, episode.population),
          shape.id,
        );
        items.push({
          clientId: episode.clientId,
          episodeId,
          levelOfCare: episode.level,
          programTrackId: episode.programTrackId,
          weekStart,
          attendedMinutes: minutesByWeek(episode.facts.attendance).get(weekStart) ?? 0,
          requiredMinutes:
            minimumOfWeek(episode.levels, weekStart, zone, episode.population, shape)?.requiredMinutes ??
            null,
          admittedOn: episode.facts.admittedOn,
          weeksInProgram: Math.max(0, Math.floor(daysBetween(episode.facts.admittedOn, date) / 7)),
          expectedStayWeeks: stay?.weeks ?? null,
          lastScreen: last === undefined ? null : { collectedOn: last.collectedOn, result: last.result },
        });
      }
      await this.audit.recordShown(
        actor,
        { action: 'list', resourceType: 'census' },
        items.map((item) => ({ id: item.episodeId, clientId: item.clientId, siteId })),
        tx.manager,
      );
      // The cursor is the last episode read, so one skipped (its reference data still on the way) is not re-read.
      const lastRead = ids.slice(0, limit).at(-1);
      return new Page(items, ids.length > limit && lastRead !== undefined ? encodeCursor([lastRead]) : null);
    });
  }
}
