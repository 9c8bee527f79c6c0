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
}

const iso = (value: Date): string => value.toISOString();

/** Reads an episode's facts from the projections and the service's own records. */
@Injectable()
export class EpisodeFactsRepository {
  /** Undefined while the episode or its site's time zone is not known yet (their events are on their way). */
  async load(m: EntityManager, episodeId: string): Promise<EpisodeContext | undefined> {
    const [episode] = await m.query<EpisodeRow[]>(
      `SELECT e.episode_id, e.client_id, e.site_id, s.network_id, s.time_zone, e.level_of_care, e.population,
              e.admitted_at, e.discharged_at, e.program_track_id, t.expected_stay_weeks, e.level_epoch,
              e.level_since, t.documentation_grace_hours AS grace_hours
         FROM ${table('episodes')} e LEFT JOIN ${table('sites')} s ON s.site_id = e.site_id
         LEFT JOIN ${table('program_tracks')} t ON t.program_track_id = e.program_track_id
        WHERE e.episode_id = $1`,
      [episodeId],
    );
    if (episode?.time_zone == null || episode.network_id === null) return undefined;
    const zone = episode.time_zone;
    // One connection per transaction: the reads run one after the other.
    const attendance = await m.query<
      {
        appointment_id: string;
        session_date: string;
        starts_at: Date;
        outcome: AttendanceOutcome;
        minutes_attended: number;
      }[]
    >(
      `SELECT a.appointment_id, to_char(a.session_date, 'YYYY-MM-DD') AS session_date, r.starts_at, a.outcome,
                a.minutes_attended
           FROM ${table('attendance')} a JOIN ${table('session_records')} r USING (appointment_id)
          WHERE a.episode_id = $1`,
      [episodeId],
    );
    const screens = await m.query<
      {
        screen_id: string;
        collected_on: string;
        collected_at: Date;
        result: DrugScreenResult;
        evidence: ScreenEvidence;
      }[]
    >(
      `SELECT screen_id, to_char(collected_on, 'YYYY-MM-DD') AS collected_on, collected_at, result, evidence
           FROM ${table('drug_screens')} WHERE episode_id = $1`,
      [episodeId],
    );
    const reviews = await m.query<{ reviewed_at: Date; goals_met: number; goals_total: number }[]>(
      `SELECT reviewed_at, goals_met, goals_total FROM ${table('plan_reviews')} WHERE episode_id = $1`,
      [episodeId],
    );
    const assessments = await m.query<
      { assessment_id: string; assessed_at: Date; dimension_ratings: number[] }[]
    >(
      `SELECT assessment_id, assessed_at, dimension_ratings FROM ${table('assessments')}
          WHERE client_id = $1 AND (episode_id = $2 OR episode_id IS NULL)`,
      [episode.client_id, episodeId],
    );
    const levels = await m.query<{ level_of_care: LevelOfCare; effective_at: Date }[]>(
      `SELECT level_of_care, effective_at FROM ${table('level_history')} WHERE episode_id = $1
        ORDER BY effective_at`,
      [episodeId],
    );
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
      levels: levels.map((l) => ({ level: l.level_of_care, from: iso(l.effective_at) })),
      graceHours: episode.grace_hours,
      facts: {
        admittedOn: localDateOf(episode.admitted_at, zone),
        levelSinceOn: episode.level_since === null ? null : localDateOf(episode.level_since, zone),
        dischargedOn: episode.discharged_at === null ? null : localDateOf(episode.discharged_at, zone),
        attendance: attendance.map((a) => ({
          appointmentId: a.appointment_id,
          sessionDate: a.session_date,
          startsAt: iso(a.starts_at),
          outcome: a.outcome,
          minutes: a.minutes_attended,
        })),
        screens: screens.map((s) => ({
          screenId: s.screen_id,
          collectedOn: s.collected_on,
          collectedAt: iso(s.collected_at),
          result: s.result,
          evidence: s.evidence,
        })),
        reviews: reviews.map((r) => ({
          reviewedOn: localDateOf(r.reviewed_at, zone),
          reviewedAt: iso(r.reviewed_at),
          goalsMet: r.goals_met,
          goalsTotal: r.goals_total,
        })),
        assessments: assessments.map((a) => ({
          assessmentId: a.assessment_id,
          assessedOn: localDateOf(a.assessed_at, zone),
          assessedAt: iso(a.assessed_at),
          dimensionRatings: a.dimension_ratings,
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
