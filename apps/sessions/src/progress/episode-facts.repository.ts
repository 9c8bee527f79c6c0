import { Injectable } from '@nestjs/common';
import { type DrugScreenResult, type LevelOfCare, type Population } from '@stepwise/contracts';
import { type EntityManager } from 'typeorm';
import {
  type AttendanceOutcome,
  type EpisodeFacts,
  type LevelPeriod,
  localDateOf,
  type ScreenEvidence,
} from '@stepwise/care-rules';
import { table } from '../sessions.tables';

/** An episode as the rules need it: who, where, which level, and its dated facts. */
export interface EpisodeContext {
  readonly episodeId: string;
  readonly clientId: string;
  readonly siteId: string;
  readonly networkId: string;
  readonly timeZone: string;
  readonly level: LevelOfCare;
  readonly population: Population;
  readonly discharged: boolean;
  readonly programTrackId: string;
  /** The track's own expected length of stay in weeks; null: its level's program shape says. */
  readonly trackExpectedStayWeeks: number | null;
  /** Advances with every clinical level change; `levelSince` is when the current level began (null: admission). */
  readonly levelEpoch: number;
  readonly levelSince: string | null;
  /** The episode's clinical levels, oldest first, each from the instant it took effect. */
  readonly levels: readonly LevelPeriod[];
  /** Hours after a week's local end before it closes: the track's own grace; null: the program policy's. */
  readonly graceHours: number | null;
  readonly facts: EpisodeFacts;
}

/** A week already closed, as stored: a closed week keeps the minimum and level it was judged by. */
export interface ClosedWeekRow {
  readonly week_start: string;
  readonly attended_minutes: number;
  readonly required_minutes: number;
  readonly short: boolean;
  readonly level_of_care: LevelOfCare;
}

/** What `load` reads besides the rules' facts: the episode's closed weeks and whether it has authorizations. */
export interface EpisodeRecords {
  readonly closedWeeks: readonly ClosedWeekRow[];
  /** False: no payer authorization to watch, so its billing facts need not be read. */
  readonly hasAuthorizations: boolean;
}

/** An episode as `load` reads it: the rules' context and its own records. */
export type LoadedEpisode = EpisodeContext & { readonly records: EpisodeRecords };

interface EpisodeRow {
  episode_id: string;
  client_id: string;
  site_id: string;
  network_id: string | null;
  time_zone: string | null;
  level_of_care: LevelOfCare;
  population: Population;
  admitted_at: Date;
  discharged_at: Date | null;
  program_track_id: string;
  expected_stay_weeks: number | null;
  level_epoch: number;
  level_since: Date | null;
  grace_hours: number | null;
  // Aggregated as JSON, where timestamps are strings.
  attendance: {
    appointment_id: string;
    session_date: string;
    starts_at: string;
    outcome: AttendanceOutcome;
    minutes_attended: number;
  }[];
  screens: {
    screen_id: string;
    collected_on: string;
    collected_at: string;
    result: DrugScreenResult;
    evidence: ScreenEvidence;
  }[];
  reviews: { reviewed_at: string; goals_met: number; goals_total: number }[];
  assessments: { assessment_id: string; assessed_at: string; dimension_ratings: number[] }[];
  levels: { level_of_care: LevelOfCare; effective_at: string }[];
  closed_weeks: ClosedWeekRow[];
  has_authorizations: boolean;
}

const iso = (value: Date | string): string => new Date(value).toISOString();

/** `json_agg` of `fields` over `from`, an empty array when there is no row. */
const rows = (fields: string, from: string): string =>
  `coalesce((SELECT json_agg(json_build_object(${fields})) FROM ${from}), '[]'::json)`;

/**
 * The episode and all its facts in one statement: the evaluation runs after every change to an episode, and
 * its reads, one round trip each, were most of its time.
 */
const LOAD_SQL = `
  SELECT e.episode_id, e.client_id, e.site_id, s.network_id, s.time_zone, e.level_of_care, e.population,
         e.admitted_at, e.discharged_at, e.program_track_id, t.expected_stay_weeks, e.level_epoch,
         e.level_since, t.documentation_grace_hours AS grace_hours,
         ${rows(
           `'appointment_id', a.appointment_id, 'session_date', to_char(a.session_date, 'YYYY-MM-DD'),
            'starts_at', r.starts_at, 'outcome', a.outcome, 'minutes_attended', a.minutes_attended`,
           `${table('attendance')} a JOIN ${table('session_records')} r USING (appointment_id)
             WHERE a.episode_id = e.episode_id`,
         )} AS attendance,
         ${rows(
           `'screen_id', d.screen_id, 'collected_on', to_char(d.collected_on, 'YYYY-MM-DD'),
            'collected_at', d.collected_at, 'result', d.result, 'evidence', d.evidence`,
           `${table('drug_screens')} d WHERE d.episode_id = e.episode_id`,
         )} AS screens,
         ${rows(
           `'reviewed_at', p.reviewed_at, 'goals_met', p.goals_met, 'goals_total', p.goals_total`,
           `${table('plan_reviews')} p WHERE p.episode_id = e.episode_id`,
         )} AS reviews,
         ${rows(
           `'assessment_id', x.assessment_id, 'assessed_at', x.assessed_at,
            'dimension_ratings', x.dimension_ratings`,
           `${table('assessments')} x
             WHERE x.client_id = e.client_id AND (x.episode_id = e.episode_id OR x.episode_id IS NULL)`,
         )} AS assessments,
         ${rows(
           `'level_of_care', l.level_of_care, 'effective_at', l.effective_at`,
           `(SELECT * FROM ${table('level_history')} WHERE episode_id = e.episode_id ORDER BY effective_at) l`,
         )} AS levels,
         ${rows(
           `'week_start', w.week_start, 'attended_minutes', w.attended_minutes,
            'required_minutes', w.required_minutes, 'short', w.short, 'level_of_care', w.level_of_care`,
           `(SELECT to_char(week_start, 'YYYY-MM-DD') AS week_start, attended_minutes, required_minutes, short,
                    level_of_care
               FROM ${table('closed_weeks')} WHERE episode_id = e.episode_id ORDER BY week_start) w`,
         )} AS closed_weeks,
         EXISTS (SELECT 1 FROM ${table('payer_authorizations')} z WHERE z.episode_id = e.episode_id)
           AS has_authorizations
    FROM ${table('episodes')} e LEFT JOIN ${table('sites')} s ON s.site_id = e.site_id
    LEFT JOIN ${table('program_tracks')} t ON t.program_track_id = e.program_track_id
   WHERE e.episode_id = $1`;

/** Reads an episode's facts from the projections and the service's own records. */
@Injectable()
export class EpisodeFactsRepository {
  /** Undefined while the episode or its site's time zone is not known yet (their events are on their way). */
  async load(m: EntityManager, episodeId: string): Promise<LoadedEpisode | undefined> {
    const [episode] = await m.query<EpisodeRow[]>(LOAD_SQL, [episodeId]);
    if (episode?.time_zone == null || episode.network_id === null) return undefined;
    const zone = episode.time_zone;
    return {
      episodeId,
      clientId: episode.client_id,
      siteId: episode.site_id,
      networkId: episode.network_id,
      timeZone: zone,
      level: episode.level_of_care,
      population: episode.population,
      discharged: episode.discharged_at !== null,
      programTrackId: episode.program_track_id,
      trackExpectedStayWeeks: episode.expected_stay_weeks,
      levelEpoch: episode.level_epoch,
      levelSince: episode.level_since === null ? null : iso(episode.level_since),
      levels: episode.levels.map((l) => ({ level: l.level_of_care, from: iso(l.effective_at) })),
      graceHours: episode.grace_hours,
      records: { closedWeeks: episode.closed_weeks, hasAuthorizations: episode.has_authorizations },
      facts: {
        admittedOn: localDateOf(episode.admitted_at, zone),
        levelSinceOn: episode.level_since === null ? null : localDateOf(episode.level_since, zone),
        dischargedOn: episode.discharged_at === null ? null : localDateOf(episode.discharged_at, zone),
        attendance: episode.attendance.map((a) => ({
          appointmentId: a.appointment_id,
          sessionDate: a.session_date,
          startsAt: iso(a.starts_at),
          outcome: a.outcome,
          minutes: a.minutes_attended,
        })),
        screens: episode.screens.map((d) => ({
          screenId: d.screen_id,
          collectedOn: d.collected_on,
          collectedAt: iso(d.collected_at),
          result: d.result,
          evidence: d.evidence,
        })),
        reviews: episode.reviews.map((r) => ({
          reviewedOn: localDateOf(new Date(r.reviewed_at), zone),
          reviewedAt: iso(r.reviewed_at),
          goalsMet: r.goals_met,
          goalsTotal: r.goals_total,
        })),
        assessments: episode.assessments.map((x) => ({
          assessmentId: x.assessment_id,
          assessedOn: localDateOf(new Date(x.assessed_at), zone),
          assessedAt: iso(x.assessed_at),
          dimensionRatings: x.dimension_ratings,
        })),
      },
    };
  }

  /** Episodes still open whose site is known: the ones a passing week may close. */
  async openEpisodes(m: EntityManager): Promise<string[]> {
    const rows = await m.query<{ episode_id: string }[]>(
      `SELECT e.episode_id FROM ${table('episodes')} e JOIN ${table('sites')} s USING (site_id)
        WHERE e.discharged_at IS NULL ORDER BY e.episode_id`,
    );
    return rows.map((row) => row.episode_id);
  }
}
