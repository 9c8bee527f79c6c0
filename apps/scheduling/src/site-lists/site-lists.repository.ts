import { Injectable } from '@nestjs/common';
import {
  type LevelOfCare,
  type Modality,
  type Population,
  type SessionType,
  type StaffRole,
} from '@stepwise/contracts';
import { timestampKey } from '@stepwise/security';
import { DataSource } from 'typeorm';
import { table } from '../scheduling.schema';
import { type SeriesRecord } from '../series/series.repository';
import { type WeeklySlotItem } from './site-lists.dto';

/** A keyset page of a site's rows: `after` is the last key of the previous page, `limit + 1` rows are read. */
export interface SitePage<K> {
  readonly siteId: string;
  readonly limit: number;
  readonly after: K | undefined;
  /** Only active (true) or inactive (false) rows; undefined: both. */
  readonly active?: boolean | undefined;
}

export interface TrackListRow {
  id: string;
  site_id: string;
  name: string;
  level_of_care: LevelOfCare;
  population: Population;
  modality: Modality;
  weekly_pattern: WeeklySlotItem[];
  expected_stay_weeks: number | null;
  active: boolean;
}

export interface StaffListRow {
  id: string;
  display_name: string;
  roles: StaffRole[];
  site_ids: string[];
  active: boolean;
}

/** A series as the series feature reads it, with its seats taken and whether it still meets. */
export interface SeriesListRow extends SeriesRecord {
  seated: number;
  active: boolean;
}

export interface DaySessionRow {
  id: string;
  series_id: string | null;
  program_track_id: string | null;
  kind: string;
  session_type: SessionType;
  modality: Modality;
  room: string | null;
  video_link: string | null;
  facilitator_id: string;
  facilitator_name: string | null;
  local_date: string;
  starts_at: Date;
  ends_at: Date;
  status: string;
  key: string;
}

export interface RosterRow {
  occurrence_id: string;
  appointment_id: string;
  client_id: string;
  episode_id: string;
}

/** `AND active = $n` when the page filters on it (the value appended to `params`). */
function activeFilter(page: SitePage<unknown>, params: unknown[], column = 'active'): string {
  if (page.active === undefined) return '';
  params.push(page.active);
  return `AND ${column} = $${params.length}`;
}

/** The lists a staff screen shows of one site: reference data, series and the day's sessions with rosters. */
@Injectable()
export class SiteListsRepository {
  constructor(private readonly dataSource: DataSource) {}

  tracks(page: SitePage<string>): Promise<TrackListRow[]> {
    const params: unknown[] = [page.siteId, page.after ?? null, page.limit + 1];
    return this.dataSource.query<TrackListRow[]>(
      `SELECT id, site_id, name, level_of_care, population, modality, weekly_pattern, expected_stay_weeks, active
         FROM ${table('program_tracks')}
        WHERE site_id = $1 AND ($2::uuid IS NULL OR id > $2::uuid) ${activeFilter(page, params)}
        ORDER BY id LIMIT $3`,
      params,
    );
  }

  staff(page: SitePage<string>): Promise<StaffListRow[]> {
    const params: unknown[] = [page.siteId, page.after ?? null, page.limit + 1];
    return this.dataSource.query<StaffListRow[]>(
      `SELECT id, display_name, roles, site_ids::text[] AS site_ids, active FROM ${table('staff_members')}
        WHERE $1::uuid = ANY(site_ids) AND ($2::uuid IS NULL OR id > $2::uuid) ${activeFilter(page, params)}
        ORDER BY id LIMIT $3`,
      params,
    );
  }

  series(page: SitePage<string>): Promise<SeriesListRow[]> {
    const params: unknown[] = [page.siteId, page.after ?? null, page.limit + 1];
    return this.dataSource.query<SeriesListRow[]>(
      `SELECT g.id, g.site_id, NULL AS network_id, g.program_track_id, g.kind, g.session_type, g.weekday, g.start_time, g.minutes,
              g.facilitator_id, g.room, g.video_link, g.modality, g.capacity, g.starts_on::text AS starts_on, g.active,
              (SELECT count(*)::int FROM ${table('series_members')} m
                WHERE m.series_id = g.id AND m.status = 'seated') AS seated
         FROM ${table('group_series')} g
        WHERE g.site_id = $1 AND ($2::uuid IS NULL OR g.id > $2::uuid) ${activeFilter(page, params, 'g.active')}
        ORDER BY g.id LIMIT $3`,
      params,
    );
  }

  /** The occurrences of one site-local day, in `(starts_at, id)` order, with their facilitator's name. */
  daySessions(page: SitePage<readonly [string, string]>, localDate: string): Promise<DaySessionRow[]> {
    const params: unknown[] = [page.siteId, localDate, page.limit + 1];
    if (page.after !== undefined) params.push(page.after[0], page.after[1]);
    return this.dataSource.query<DaySessionRow[]>(
      `SELECT o.id, o.series_id, g.program_track_id, o.kind, o.session_type, o.modality, o.room, o.video_link,
              o.facilitator_id, f.display_name AS facilitator_name, o.local_date::text AS local_date, o.starts_at,
              o.ends_at, o.status, ${timestampKey('o.starts_at')} AS key
         FROM ${table('occurrences')} o
         LEFT JOIN ${table('group_series')} g ON g.id = o.series_id
         LEFT JOIN ${table('staff_members')} f ON f.id = o.facilitator_id
        WHERE o.site_id = $1 AND o.local_date = $2::date
          ${page.after === undefined ? '' : 'AND (o.starts_at, o.id) > ($4::timestamptz, $5::uuid)'}
        ORDER BY o.starts_at, o.id LIMIT $3`,
      params,
    );
  }

  /** The scheduled appointments of the occurrences, by client. */
  rosters(occurrenceIds: readonly string[]): Promise<RosterRow[]> {
    return this.dataSource.query<RosterRow[]>(
      `SELECT occurrence_id, id AS appointment_id, client_id, episode_id FROM ${table('appointments')}
        WHERE occurrence_id = ANY($1::uuid[]) AND status = 'scheduled' ORDER BY occurrence_id, client_id`,
      [occurrenceIds],
    );
  }
}
