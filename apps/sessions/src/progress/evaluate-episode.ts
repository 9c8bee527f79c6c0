import { Injectable, Logger } from '@nestjs/common';
import { EngagementRiskReason } from '@stepwise/contracts';
import { type Transaction } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { SessionsConfig } from '../config/sessions.config';
import {
  absenceRuns,
  addDays,
  closedWeeks,
  evaluateStepDown,
  evaluateStepUp,
  expectedStay,
  judgeWeeks,
  latestFactDate,
  localDateOf,
  minutesByWeek,
  positiveScreenRuns,
  programShapeFor,
  type ProgramShapeRules,
  type ProgressRuleSet,
  progressRuleSetFor,
  type RuleOutcome,
  type Run,
  shortWeekRuns,
  stayReachedOn,
  weeklyMinimum,
} from '@stepwise/care-rules';
import { CareRulesRepository } from '../projections/care-rules.repository';
import { derivedId, table } from '../sessions.tables';
import { type EpisodeContext, EpisodeFactsRepository } from './episode-facts.repository';
import { ProgramCounters } from './program-counters';

/**
 * Applies the progress rules to one episode after any of its facts changed (or the clock passed a week):
 * closes the weeks that ended, flags short ones, detects engagement risks and makes step-down / step-up
 * recommendations. Each derived fact is stored under its natural key and published only when that insert
 * happened, so re-running on the same facts — a redelivery, a resubmission, a replay — publishes nothing new.
 */
/**
 * Takes the episodes' evaluation locks, in a fixed order. Every writer of an episode's facts takes them before
 * touching rows (a request and the consumer may write the same episode at once): they then queue rather than
 * deadlock on one holding the row and the other the lock. Re-entrant within a transaction.
 */
export async function lockEpisodes(tx: Transaction, episodeIds: Iterable<string>): Promise<void> {
  for (const id of [...new Set(episodeIds)].sort()) await tx.lockKey(`sessions-episode:${id}`);
}

@Injectable()
export class EvaluateEpisode {
  private readonly logger = new Logger(EvaluateEpisode.name);

  constructor(
    private readonly facts: EpisodeFactsRepository,
    private readonly config: SessionsConfig,
    private readonly clock: Clock,
    private readonly counters: ProgramCounters,
    private readonly careRules: CareRulesRepository,
  ) {}

  /** `now` decides only which weeks the calendar has closed; it defaults to the clock. */
  async run(tx: Transaction, episodeId: string, now: Date = this.clock.now()): Promise<void> {
    await lockEpisodes(tx, [episodeId]);
    const episode = await this.facts.load(tx.manager, episodeId);
    if (episode === undefined) return;
    // The versions in force when the decision is made; each decision records the one it was made under.
    const inForce = await this.careRules.inForce(tx.manager);
    const newWeeks = await this.closeWeeks(tx, episode, now, inForce.programShape);
    if (episode.discharged) return;
    await this.detectRisks(tx, episode);
    await this.checkLengthOfStay(tx, episode, now, inForce.programShape);
    const rules = progressRuleSetFor(episode.level, episode.population, inForce.progress);
    if (rules === undefined) return;
    // Weekly evaluation as of each week's Sunday, then as of the latest fact: dates of facts, never the clock.
    const asOfDates = [
      ...new Set([...newWeeks.map((week) => addDays(week, 6)), latestFactDate(episode.facts)]),
    ];
    for (const asOf of asOfDates.sort()) {
      await this.recommend(tx, episode, rules, evaluateStepUp(episode.facts, rules, asOf), asOf);
      await this.recommend(tx, episode, rules, evaluateStepDown(episode.facts, rules, asOf), asOf);
    }
  }

  private async closeWeeks(
    tx: Transaction,
    episode: EpisodeContext,
    now: Date,
    shape: ProgramShapeRules,
  ): Promise<string[]> {
    const today = localDateOf(now, episode.timeZone);
    const weeks = closedWeeks(episode.facts, latestFactDate(episode.facts), today);
    const known = await tx.manager.query<{ week_start: string; required_minutes: number }[]>(
      `SELECT to_char(week_start, 'YYYY-MM-DD') AS week_start, required_minutes FROM ${table('closed_weeks')}
        WHERE episode_id = $1`,
      [episode.episodeId],
    );
    // A week once closed stays closed, whatever the clock says now (a test clock, a replay), and keeps the
    // minimum of the level the client was at that week: a later step-up or step-down does not re-judge it.
    const closed = new Map(known.map((row) => [row.week_start, row.required_minutes]));
    const totals = minutesByWeek(episode.facts.attendance);
    for (const [weekStart, requiredMinutes] of closed) {
      const attendedMinutes = totals.get(weekStart) ?? 0;
      // A correction after the week closed updates its total and its flag; the shortfall, if any, was
      // published at closing.
      await tx.manager.query(
        `UPDATE ${table('closed_weeks')} SET attended_minutes = $3, short = $4
          WHERE episode_id = $1 AND week_start = $2 AND (attended_minutes <> $3 OR short <> $4)`,
        [episode.episodeId, weekStart, attendedMinutes, attendedMinutes < requiredMinutes],
      );
    }
    const required = weeklyMinimum(shape, episode.level, episode.population);
    const judged = judgeWeeks(
      episode.facts,
      weeks.filter((week) => !closed.has(week)),
      required,
    );
    for (const week of judged) {
      await tx.manager.query(
        `INSERT INTO ${table('closed_weeks')} (episode_id, week_start, client_id, attended_minutes,
           required_minutes, level_of_care, minimums_version, short, closed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          episode.episodeId,
          week.weekStart,
          episode.clientId,
          week.attendedMinutes,
          week.requiredMinutes,
          episode.level,
          shape.id,
          week.short,
          this.clock.now(),
        ],
      );
      if (!week.short) continue;
      this.counters.shortWeek(tx, { site: episode.siteId, level: episode.level });
      await tx.publish('WeeklyHoursShortfall', {
        clientId: episode.clientId,
        episodeId: episode.episodeId,
        siteId: episode.siteId,
        weekStart: week.weekStart,
        attendedMinutes: week.attendedMinutes,
        requiredMinutes: week.requiredMinutes,
        levelOfCare: episode.level,
        population: episode.population,
      });
    }
    return judged.map((week) => week.weekStart);
  }

  /**
   * Once the site's calendar (or a later-dated fact) reaches admission plus the track's expected length of
   * stay, ExpectedStayReached is published once per episode and track; intake opens a review in the queue.
   */
  private async checkLengthOfStay(
    tx: Transaction,
    episode: EpisodeContext,
    now: Date,
    shape: ProgramShapeRules,
  ): Promise<void> {
    const stay = expectedStay(
      episode.trackExpectedStayWeeks,
      programShapeFor(shape, episode.level, episode.population),
      shape.id,
    );
    if (stay === undefined) return;
    const reachedOn = stayReachedOn(episode.facts.admittedOn, stay.weeks);
    const today = localDateOf(now, episode.timeZone);
    const latest = latestFactDate(episode.facts);
    if ((today > latest ? today : latest) < reachedOn) return;
    const inserted = await tx.manager.query<unknown[]>(
      `INSERT INTO ${table('stay_reviews')} (episode_id, program_track_id, client_id, expected_stay_weeks,
         reached_on, rule_set_id, detected_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING episode_id`,
      [
        episode.episodeId,
        episode.programTrackId,
        episode.clientId,
        stay.weeks,
        reachedOn,
        stay.ruleSetId ?? null,
        this.clock.now(),
      ],
    );
    if (inserted.length === 0) return;
    await tx.publish('ExpectedStayReached', {
      stayReviewId: derivedId(episode.episodeId, episode.programTrackId, 'expected-stay'),
      clientId: episode.clientId,
      episodeId: episode.episodeId,
      siteId: episode.siteId,
      programTrackId: episode.programTrackId,
      levelOfCare: episode.level,
      admittedOn: episode.facts.admittedOn,
      expectedStayWeeks: stay.weeks,
      reachedOn,
      ...(stay.ruleSetId === undefined ? {} : { ruleSetId: stay.ruleSetId }),
    });
  }

  private async detectRisks(tx: Transaction, episode: EpisodeContext): Promise<void> {
    const weeks = await tx.manager.query<{ week_start: string; short: boolean }[]>(
      `SELECT to_char(week_start, 'YYYY-MM-DD') AS week_start, short FROM ${table('closed_weeks')}
        WHERE episode_id = $1`,
      [episode.episodeId],
    );
    const risks: [EngagementRiskReason, Run[]][] = [
      [
        EngagementRiskReason.ConsecutiveAbsences,
        absenceRuns(episode.facts.attendance, this.config.ENGAGEMENT_ABSENCE_THRESHOLD),
      ],
      [
        EngagementRiskReason.PositiveScreens,
        positiveScreenRuns(episode.facts.screens, this.config.ENGAGEMENT_POSITIVE_SCREEN_THRESHOLD),
      ],
      [
        EngagementRiskReason.HoursShortfall,
        shortWeekRuns(
          weeks.map((w) => ({ weekStart: w.week_start, short: w.short })),
          this.config.ENGAGEMENT_SHORT_WEEKS_THRESHOLD,
        ),
      ],
    ];
    for (const [reason, runs] of risks) {
      for (const run of runs) {
        // One risk per run: a run that grows longer is the same risk, already raised.
        const inserted = await tx.manager.query<unknown[]>(
          `INSERT INTO ${table('engagement_risks')} (episode_id, reason, since, client_id, count, detected_at)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING since`,
          [episode.episodeId, reason, run.since, episode.clientId, run.count, this.clock.now()],
        );
        if (inserted.length === 0) continue;
        await tx.publish('EngagementRiskDetected', {
          clientId: episode.clientId,
          episodeId: episode.episodeId,
          siteId: episode.siteId,
          reason,
          count: Math.min(run.count, 1000),
          since: run.since,
        });
      }
    }
  }

  /**
   * One recommendation per episode, direction, level and rule-set version: once made, the same evidence (or
   * newer evidence for the same move) never makes another; a level change or a new rule set may.
   */
  private async recommend(
    tx: Transaction,
    episode: EpisodeContext,
    rules: ProgressRuleSet,
    outcome: RuleOutcome,
    asOf: string,
  ): Promise<void> {
    if (!outcome.recommended || outcome.evidence === undefined) return;
    const recommendationId = derivedId(episode.episodeId, outcome.direction, episode.level, rules.version);
    const now = this.clock.now();
    const inserted = await tx.manager.query<unknown[]>(
      `INSERT INTO ${table('recommendations')} (recommendation_id, episode_id, client_id, direction, from_level,
         to_level, rule_set_version, evidence, as_of, recommended_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING recommendation_id`,
      [
        recommendationId,
        episode.episodeId,
        episode.clientId,
        outcome.direction,
        episode.level,
        outcome.toLevel,
        rules.version,
        JSON.stringify(outcome.evidence),
        asOf,
        now,
      ],
    );
    if (inserted.length === 0) return;
    this.counters.recommended(tx, { site: episode.siteId, direction: outcome.direction });
    const payload = {
      recommendationId,
      clientId: episode.clientId,
      episodeId: episode.episodeId,
      siteId: episode.siteId,
      fromLevel: episode.level,
      toLevel: outcome.toLevel,
      evidence: { ...outcome.evidence, dimensionRatings: [...outcome.evidence.dimensionRatings] },
      ruleSetVersion: rules.version,
      recommendedAt: now.toISOString(),
    };
    this.logger.log(
      `${outcome.direction} recommended for episode ${episode.episodeId} under ${rules.version}`,
    );
    if (outcome.direction === 'step-down') await tx.publish('StepDownRecommended', payload);
    else await tx.publish('StepUpRecommended', payload);
  }
}
