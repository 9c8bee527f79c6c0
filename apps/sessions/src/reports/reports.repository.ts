import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { table } from '../sessions.tables';

export interface LatestEpisodeRow {
  episode_id: string;
  site_id: string;
  sobriety_since: Date | null;
}

export interface ClosedWeekRow {
  week_start: string;
  required_minutes: number;
  short: boolean;
}

export interface RecommendationRow {
  recommendation_id: string;
  direction: string;
  from_level: string;
  to_level: string;
  rule_set_version: string;
  as_of: string;
}

export interface ScreenRow {
  screen_id: string;
  collected_on: string;
  result: string;
  substance_codes: string[];
}

/** All SQL of the reports: read-only queries over the recorded facts. */
@Injectable()
export class ReportsRepository {
  async latestEpisode(m: EntityManager, clientId: string): Promise<LatestEpisodeRow | undefined> {
    const [latest] = await m.query<LatestEpisodeRow[]>(
      `SELECT episode_id, site_id, sobriety_since FROM ${table('episodes')} WHERE client_id = $1
        ORDER BY admitted_at DESC LIMIT 1`,
      [clientId],
    );
    return latest;
  }

  closedWeeks(m: EntityManager, episodeId: string): Promise<ClosedWeekRow[]> {
    return m.query<ClosedWeekRow[]>(
      `SELECT to_char(week_start, 'YYYY-MM-DD') AS week_start, required_minutes, short
         FROM ${table('closed_weeks')} WHERE episode_id = $1`,
      [episodeId],
    );
  }

  recommendations(m: EntityManager, episodeId: string): Promise<RecommendationRow[]> {
    return m.query<RecommendationRow[]>(
      `SELECT recommendation_id, direction, from_level, to_level, rule_set_version,
              to_char(as_of, 'YYYY-MM-DD') AS as_of
         FROM ${table('recommendations')} WHERE episode_id = $1 ORDER BY recommended_at`,
      [episodeId],
    );
  }

  screens(m: EntityManager, episodeId: string): Promise<ScreenRow[]> {
    return m.query<ScreenRow[]>(
      `SELECT screen_id, to_char(collected_on, 'YYYY-MM-DD') AS collected_on, result, substance_codes
         FROM ${table('drug_screens')} WHERE episode_id = $1 ORDER BY collected_at`,
      [episodeId],
    );
  }

  /** A page of the site's episodes not discharged, in id order (`limit + 1` to know whether more follow). */
  async activeEpisodes(
    m: EntityManager,
    siteId: string,
    afterEpisodeId: string | null,
    limit: number,
  ): Promise<string[]> {
    const rows = await m.query<{ episode_id: string }[]>(
      `SELECT episode_id FROM ${table('episodes')}
        WHERE site_id = $1 AND discharged_at IS NULL AND ($2::uuid IS NULL OR episode_id > $2::uuid)
        ORDER BY episode_id LIMIT $3`,
      [siteId, afterEpisodeId, limit],
    );
    return rows.map((r) => r.episode_id);
  }
}
