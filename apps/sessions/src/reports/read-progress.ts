import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { type Actor, ProblemException, ScopedRecords } from '@stepwise/security';
import { attendanceShare, latestFactDate, minimumOfWeek, minutesByWeek } from '@stepwise/care-rules';
import { EpisodeFactsRepository } from '../progress/episode-facts.repository';
import { CareRulesRepository } from '../projections/care-rules.repository';
import { SitesRepository } from '../projections/sites.repository';
import { ReportsRepository } from './reports.repository';
import { type ProgressSummaryView } from './reports.dto';

/** A progress read model computed from the recorded facts with the same pure rules the events come from. */
@Injectable()
export class ReadProgress {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly scoped: ScopedRecords,
    private readonly sites: SitesRepository,
    private readonly reports: ReportsRepository,
    private readonly episodes: EpisodeFactsRepository,
    private readonly careRules: CareRulesRepository,
  ) {}

  /** A client's latest episode: hours per week against the minimum, attendance, screens, goals, recommendations. */
  async progress(actor: Actor, clientId: string): Promise<ProgressSummaryView> {
    return this.uow.run(async (tx) => {
      const latest = await this.reports.latestEpisode(tx.manager, clientId);
      if (latest === undefined)
        throw new ProblemException('not-found', { detail: 'No episode for that client' });
      const attempt = { action: 'read', resourceType: 'progress', resourceId: latest.episode_id, clientId };
      await this.scoped.assertSite(actor, await this.sites.site(tx.manager, latest.site_id), attempt);
      const episode = await this.episodes.load(tx.manager, latest.episode_id);
      if (episode === undefined) {
        throw new ProblemException('unprocessable', {
          detail: "The site's reference data has not arrived yet",
        });
      }
      const closed = await this.reports.closedWeeks(tx.manager, episode.episodeId);
      // A closed week shows the minimum it was judged against (stored when it closed); an open one that of the
      // level in force that week — never the current level's for a past week.
      const closedWeeks = new Map(closed.map((w) => [w.week_start, w]));
      const totals = minutesByWeek(episode.facts.attendance);
      // Weeks not closed yet are shown against the minimum of the level in force that week, under the rule set
      // in force now (a closed week keeps the minimum it was judged against).
      const shape = (await this.careRules.inForce(tx.manager)).programShape;
      const required = (weekStart: string): number =>
        minimumOfWeek(episode.levels, weekStart, episode.timeZone, episode.population, shape)
          ?.requiredMinutes ?? 0;
      const weekStarts = [...new Set([...totals.keys(), ...closedWeeks.keys()])].sort();
      const share = attendanceShare(episode.facts.attendance, latestFactDate(episode.facts), 28);
      const review = [...episode.facts.reviews].sort((a, b) => (a.reviewedAt < b.reviewedAt ? -1 : 1)).at(-1);
      const recommendations = await this.reports.recommendations(tx.manager, episode.episodeId);
      const screens = await this.reports.screens(tx.manager, episode.episodeId);
      const record = { id: latest.episode_id, siteId: episode.siteId, clientId };
      await this.scoped.audited(actor, 'read', attempt, record, tx.manager);
      return {
        clientId,
        episodeId: episode.episodeId,
        levelOfCare: episode.level,
        population: episode.population,
        admittedOn: episode.facts.admittedOn,
        dischargedOn: episode.facts.dischargedOn,
        sobrietySince: latest.sobriety_since?.toISOString() ?? null,
        weeks: weekStarts.map((weekStart) => ({
          weekStart,
          attendedMinutes: totals.get(weekStart) ?? 0,
          requiredMinutes: closedWeeks.get(weekStart)?.required_minutes ?? required(weekStart),
          closed: closedWeeks.has(weekStart),
          short: closedWeeks.get(weekStart)?.short ?? false,
        })),
        attendanceRate:
          share.counted === 0 ? 0 : Math.round((share.attended / share.counted) * 10_000) / 10_000,
        screens: screens.map((s) => ({
          screenId: s.screen_id,
          collectedOn: s.collected_on,
          result: s.result,
          substanceCodes: s.substance_codes,
        })),
        goalsMet: review?.goalsMet ?? null,
        goalsTotal: review?.goalsTotal ?? null,
        recommendations: recommendations.map((r) => ({
          recommendationId: r.recommendation_id,
          direction: r.direction,
          fromLevel: r.from_level,
          toLevel: r.to_level,
          ruleSetVersion: r.rule_set_version,
          asOf: r.as_of,
        })),
      };
    });
  }
}
