import { Injectable, Logger } from '@nestjs/common';
import { EngagementRiskReason } from '@stepwise/contracts';
import { type Transaction } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { SessionsConfig } from '../config/sessions.config';
import {
  absenceRuns,
  addDays,
  closedWeeks,
  type Direction,
  evaluateStepDown,
  evaluateStepUp,
  expectedStay,
  judgeWeeks,
  keyFactOf,
  latestFactDate,
  localDateOf,
  mayRecommend,
  minutesByWeek,
  positiveScreenRuns,
  programShapeFor,
  type ProgramShapeRules,
  type RulesInForce,
  type ProgressRuleSet,
  progressRuleSetFor,
  type RuleOutcome,
  type Run,
  minimumOfWeek,
  shortWeekRuns,
  stayReachedOn,
  type WeekHours,
} from '@stepwise/care-rules';
import { AuthorizationWatch } from '../billing/authorization-watch';
import { CareRulesRepository } from '../projections/care-rules.repository';
import { derivedId, table } from '../sessions.tables';
import {
  type ClosedWeekRow,
  type EpisodeContext,
  EpisodeFactsRepository,
  type LoadedEpisode,
} from './episode-facts.repository';
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
 * deadlock on one holding the row and the other the lock. Re-entrant within a transaction; one statement.
 */
export async function lockEpisodes(tx: Transaction, episodeIds: Iterable<string>): Promise<void> {
  await tx.lockKeys(episodeLockKeys(episodeIds));
}

/** The keys of the episodes' evaluation locks (`Transaction.lockKeys` takes them in sorted order, in one go). */
export function episodeLockKeys(episodeIds: Iterable<string>): string[] {
  return [...new Set(episodeIds)].map((id) => `sessions-episode:${id}`);
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
    private readonly authorizations: AuthorizationWatch,
  ) {}

  /** `now` decides only which weeks the calendar has closed; it defaults to the clock. */
  async run(tx: Transaction, episodeId: string, now: Date = this.clock.now()): Promise<void> {
    await this.evaluate(tx, episodeId, now, () => this.careRules.inForce(tx.manager));
  }

  /** Several episodes in one transaction, in the given order, under one reading of the rules in force. */
  async runAll(tx: Transaction, episodeIds: readonly string[]): Promise<void> {
    let rules: Promise<RulesInForce> | undefined;
    for (const episodeId of episodeIds) {
      await this.evaluate(
        tx,
        episodeId,
        this.clock.now(),
        () => (rules ??= this.careRules.inForce(tx.manager)),
      );
    }
  }

  private async evaluate(
    tx: Transaction,
    episodeId: string,
    now: Date,
    rulesInForce: () => Promise<RulesInForce>,
  ): Promise<void> {
    await lockEpisodes(tx, [episodeId]);
    const episode = await this.facts.load(tx.manager, episodeId);
    if (episode === undefined) return;
    // The versions in force when the decision is made; each decision records the one it was made under.
    const inForce = await rulesInForce();
    const { newWeeks, weeks } = await this.closeWeeks(tx, episode, now, inForce);
    if (episode.discharged) return;
    if (episode.records.hasAuthorizations) {
      await this.authorizations.check(tx, episode, inForce.billing, now);
    }
    await this.detectRisks(tx, episode, weeks);
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

  /** Answers the weeks it closed now, and every closed week of the episode as it stands after. */
  private async closeWeeks(
    tx: Transaction,
    episode: LoadedEpisode,
    now: Date,
    inForce: RulesInForce,
  ): Promise<{ newWeeks: string[]; weeks: { weekStart: string; short: boolean }[] }> {
    const shape = inForce.programShape;
    // The track's own grace, else the program policy's; the closed week records the policy in force either way.
    const policy = inForce.programPolicy;
    const weeks = closedWeeks(
      episode.facts,
      latestFactDate(episode.facts),
      now,
      episode.timeZone,
      episode.graceHours ?? policy.programPolicy.documentationGraceHours,
    );
    const known = episode.records.closedWeeks;
    // A week once closed stays closed, whatever the clock says now (a test clock, a replay), and keeps the
    // minimum it was judged against: a later step-up or step-down does not re-judge it.
    const closed = new Set(known.map((row) => row.week_start));
    const totals = minutesByWeek(episode.facts.attendance);
    const standing: { weekStart: string; short: boolean }[] = [];
    for (const week of known) {
      const attendedMinutes = totals.get(week.week_start) ?? 0;
      if (attendedMinutes === week.attended_minutes) {
        standing.push({ weekStart: week.week_start, short: week.short });
        continue;
      }
      standing.push({
        weekStart: week.week_start,
        short: await this.recalculate(tx, episode, week, attendedMinutes),
      });
    }
    const judged = weeks
      .filter((week) => !closed.has(week))
      .map((week) => {
        const minimum = minimumOfWeek(episode.levels, week, episode.timeZone, episode.population, shape);
        const level = minimum?.level ?? episode.level;
        const [hours] = judgeWeeks(episode.facts, [week], minimum?.requiredMinutes);
        return { ...(hours as WeekHours), level };
      });
    for (const week of judged) {
      standing.push({ weekStart: week.weekStart, short: week.short });
      await tx.manager.query(
        `INSERT INTO ${table('closed_weeks')} (episode_id, week_start, client_id, attended_minutes,
           required_minutes, level_of_care, minimums_version, short, closed_at, program_policy_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          episode.episodeId,
          week.weekStart,
          episode.clientId,
          week.attendedMinutes,
          week.requiredMinutes,
          week.level,
          shape.id,
          week.short,
          this.clock.now(),
          policy.id,
        ],
      );
      if (!week.short) continue;
      this.counters.shortWeek(tx, { site: episode.siteId, level: week.level });
      await tx.publish('WeeklyHoursShortfall', {
        clientId: episode.clientId,
        episodeId: episode.episodeId,
        siteId: episode.siteId,
        weekStart: week.weekStart,
        attendedMinutes: week.attendedMinutes,
        requiredMinutes: week.requiredMinutes,
        levelOfCare: week.level,
        population: episode.population,
      });
    }
    return { newWeeks: judged.map((week) => week.weekStart), weeks: standing };
  }

  /**
   * Late documentation of a closed week: its total and flag follow the records, against the minimum it closed
   * with, and the correction is published (WeeklyHoursRecalculated: before and after, and whether the shortfall
   * still holds), so an alert that no longer holds is withdrawn. Published only when the total changed.
   */
  private async recalculate(
    tx: Transaction,
    episode: EpisodeContext,
    week: ClosedWeekRow,
    attendedMinutes: number,
  ): Promise<boolean> {
    const short = attendedMinutes < week.required_minutes;
    await tx.manager.query(
      `UPDATE ${table('closed_weeks')} SET attended_minutes = $3, short = $4, recalculated_at = $5
        WHERE episode_id = $1 AND week_start = $2`,
      [episode.episodeId, week.week_start, attendedMinutes, short, this.clock.now()],
    );
    await tx.publish('WeeklyHoursRecalculated', {
      clientId: episode.clientId,
      episodeId: episode.episodeId,
      siteId: episode.siteId,
      weekStart: week.week_start,
      attendedMinutesBefore: week.attended_minutes,
      attendedMinutes,
      requiredMinutes: week.required_minutes,
      shortBefore: week.short,
      short,
      levelOfCare: week.level_of_care,
      population: episode.population,
    });
    return short;
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

  private async detectRisks(
    tx: Transaction,
    episode: EpisodeContext,
    weeks: readonly { weekStart: string; short: boolean }[],
  ): Promise<void> {
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
        shortWeekRuns(weeks, this.config.ENGAGEMENT_SHORT_WEEKS_THRESHOLD),
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
   * Never twice for the same evidence: the recommendation is named by the newest fact it rests on (its key
   * fact) and the level epoch, so a replay or redelivery finds it made; a new one needs a newer triggering fact
   * than the current level's start and than any declined one, and none of its direction still open
   * (`mayRecommend`).
   */
  private async recommend(
    tx: Transaction,
    episode: EpisodeContext,
    rules: ProgressRuleSet,
    outcome: RuleOutcome,
    asOf: string,
  ): Promise<void> {
    if (!outcome.recommended || outcome.evidence === undefined) return;
    const key = keyFactOf(episode.facts, rules, outcome, asOf);
    const prior = await tx.manager.query<
      { direction: Direction; level_epoch: number; key_fact_at: Date; declined: boolean }[]
    >(
      `SELECT direction, level_epoch, key_fact_at, declined_at IS NOT NULL AS declined
         FROM ${table('recommendations')} WHERE episode_id = $1`,
      [episode.episodeId],
    );
    const state = {
      levelEpoch: episode.levelEpoch,
      levelSince: episode.levelSince,
      prior: prior.map((p) => ({
        direction: p.direction,
        levelEpoch: p.level_epoch,
        keyFactAt: p.key_fact_at.toISOString(),
        declined: p.declined,
      })),
    };
    if (key === undefined || !mayRecommend(outcome, key, state)) return;
    const recommendationId = derivedId(
      episode.episodeId,
      outcome.direction,
      episode.level,
      rules.version,
      String(episode.levelEpoch),
      key.id,
    );
    const now = this.clock.now();
    const inserted = await tx.manager.query<unknown[]>(
      `INSERT INTO ${table('recommendations')} (recommendation_id, episode_id, client_id, direction, from_level,
         to_level, rule_set_version, evidence, as_of, recommended_at, level_epoch, key_fact, key_fact_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT DO NOTHING RETURNING recommendation_id`,
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
        episode.levelEpoch,
        key.id,
        key.at,
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
