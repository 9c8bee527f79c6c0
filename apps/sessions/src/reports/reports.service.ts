import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { type Actor, type Page, ProblemException, decodeCursor, pageLimit, toPage } from '@stepwise/security';
import { EpisodeFactsRepository } from '../progress/episode-facts.repository';
import {
  addDays,
  type AttendanceOutcome,
  attendanceShare,
  billableWeeks,
  IOP_BILLING_RULE_V1,
  latestFactDate,
  LEVEL_MINIMUMS_V1,
  minutesByWeek,
  weeklyMinimum,
  weekStartOf,
} from '@stepwise/care-rules';
import { SiteRecords } from '../shared/site-records';
import { table } from '../sessions.tables';
import { type BillableDaysQuery, type BillableWeekView, type ProgressSummaryView } from './reports.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Read models computed from the recorded facts with the same pure rules the events come from. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly sites: SiteRecords,
    private readonly episodes: EpisodeFactsRepository,
  ) {}

  /** A client's latest episode: hours per week against the minimum, attendance, screens, goals, recommendations. */
  async progress(actor: Actor, clientId: string): Promise<ProgressSummaryView> {
    return this.uow.run(async (tx) => {
      const [latest] = await tx.manager.query<
        { episode_id: string; site_id: string; sobriety_since: Date | null }[]
      >(
        `SELECT episode_id, site_id, sobriety_since FROM ${table('episodes')} WHERE client_id = $1
          ORDER BY admitted_at DESC LIMIT 1`,
        [clientId],
      );
      if (latest === undefined)
        throw new ProblemException('not-found', { detail: 'No episode for that client' });
      const attempt = { action: 'read', resourceType: 'progress', resourceId: latest.episode_id, clientId };
      await this.sites.assertAccess(actor, tx.manager, latest.site_id, attempt);
      const episode = await this.episodes.load(tx.manager, latest.episode_id);
      if (episode === undefined) {
        throw new ProblemException('unprocessable', {
          detail: "The site's reference data has not arrived yet",
        });
      }
      const closed = await tx.manager.query<
        { week_start: string; required_minutes: number; short: boolean }[]
      >(
        `SELECT to_char(week_start, 'YYYY-MM-DD') AS week_start, required_minutes, short
           FROM ${table('closed_weeks')} WHERE episode_id = $1`,
        [episode.episodeId],
      );
      // A closed week shows the minimum it was judged against (its level's); an open one the current level's.
      const closedWeeks = new Map(closed.map((w) => [w.week_start, w]));
      const totals = minutesByWeek(episode.facts.attendance);
      const required = weeklyMinimum(LEVEL_MINIMUMS_V1, episode.level, episode.population) ?? 0;
      const weekStarts = [...new Set([...totals.keys(), ...closedWeeks.keys()])].sort();
      const share = attendanceShare(episode.facts.attendance, latestFactDate(episode.facts), 28);
      const review = [...episode.facts.reviews].sort((a, b) => (a.reviewedAt < b.reviewedAt ? -1 : 1)).at(-1);
      const recommendations = await tx.manager.query<
        {
          recommendation_id: string;
          direction: string;
          from_level: string;
          to_level: string;
          rule_set_version: string;
          as_of: string;
        }[]
      >(
        `SELECT recommendation_id, direction, from_level, to_level, rule_set_version,
                to_char(as_of, 'YYYY-MM-DD') AS as_of
           FROM ${table('recommendations')} WHERE episode_id = $1 ORDER BY recommended_at`,
        [episode.episodeId],
      );
      const screens = await tx.manager.query<
        { screen_id: string; collected_on: string; result: string; substance_codes: string[] }[]
      >(
        `SELECT screen_id, to_char(collected_on, 'YYYY-MM-DD') AS collected_on, result, substance_codes
           FROM ${table('drug_screens')} WHERE episode_id = $1 ORDER BY collected_at`,
        [episode.episodeId],
      );
      await this.sites.allowed(actor, { ...attempt, siteId: episode.siteId }, tx.manager);
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
          requiredMinutes: closedWeeks.get(weekStart)?.required_minutes ?? required,
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

  /** Billable IOP days per client of a site for one ISO week, a page of clients at a time. */
  async billableDays(
    actor: Actor,
    siteId: string,
    query: BillableDaysQuery,
  ): Promise<Page<BillableWeekView>> {
    if (weekStartOf(query.weekStart) !== query.weekStart) {
      throw new ProblemException('validation-failed', {
        errors: [{ field: 'weekStart', problems: ['weekStart must be a Monday'] }],
      });
    }
    const limit = pageLimit(query);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, 1);
    const afterId = after === undefined ? null : String(after[0]);
    if (afterId !== null && !UUID.test(afterId)) throw new ProblemException('invalid-cursor');
    return this.uow.run(async (tx) => {
      const rows = await tx.manager.query<
        {
          episode_id: string;
          client_id: string;
          session_date: string;
          outcome: AttendanceOutcome;
          minutes: number;
        }[]
      >(
        `WITH page AS (
           SELECT DISTINCT episode_id FROM ${table('attendance')}
            WHERE site_id = $1 AND session_date >= $2::date AND session_date < $3::date
              AND ($4::uuid IS NULL OR episode_id > $4::uuid)
            ORDER BY episode_id LIMIT $5)
         SELECT a.episode_id, a.client_id, to_char(a.session_date, 'YYYY-MM-DD') AS session_date, a.outcome,
                a.minutes_attended AS minutes
           FROM ${table('attendance')} a JOIN page USING (episode_id)
          WHERE a.session_date >= $2::date AND a.session_date < $3::date
          ORDER BY a.episode_id`,
        [siteId, query.weekStart, addDays(query.weekStart, 7), afterId, limit + 1],
      );
      const episodes = [...new Set(rows.map((r) => r.episode_id))];
      const weeks = episodes.map((episodeId) => {
        const facts = rows.filter((r) => r.episode_id === episodeId);
        const [week] = billableWeeks(
          facts.map((r) => ({
            appointmentId: episodeId,
            sessionDate: r.session_date,
            startsAt: r.session_date,
            outcome: r.outcome,
            minutes: r.minutes,
          })),
          IOP_BILLING_RULE_V1,
        );
        return {
          clientId: facts[0]?.client_id ?? '',
          episodeId,
          weekStart: query.weekStart,
          billableDays: [...(week?.billableDays ?? [])],
          attendedMinutes: week?.attendedMinutes ?? 0,
          billingRuleVersion: IOP_BILLING_RULE_V1.version,
        };
      });
      for (const clientId of new Set(weeks.map((w) => w.clientId))) {
        await this.sites.allowed(
          actor,
          { action: 'list', resourceType: 'billing', clientId, siteId },
          tx.manager,
        );
      }
      return toPage(
        weeks,
        limit,
        (w) => [w.episodeId],
        (w) => w,
      );
    });
  }
}
