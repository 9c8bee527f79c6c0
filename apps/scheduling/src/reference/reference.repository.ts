import { Injectable } from '@nestjs/common';
import { type StaffRole } from '@stepwise/contracts';
import { type RecordKind } from '@stepwise/security';
import { DataSource, type EntityManager } from 'typeorm';
import { table } from '../scheduling.schema';
import { type ProgramTrackDto, type StaffMemberDto, type UpsertSiteDto } from './reference.dto';

export interface SiteRow {
  id: string;
  network_id: string;
  name: string;
  time_zone: string;
  closures: string[];
  active: boolean;
  updated_at: Date;
}

export interface TrackRow {
  id: string;
  site_id: string;
  network_id: string;
  name: string;
  level_of_care: ProgramTrackDto['levelOfCare'];
  population: ProgramTrackDto['population'];
  modality: ProgramTrackDto['modality'];
  weekly_pattern: ProgramTrackDto['weeklyPattern'];
  expected_stay_weeks: number | null;
  active: boolean;
  /** Null: the program policy in force says (a care rule set). */
  documentation_grace_hours: number | null;
  updated_at: Date;
}

export interface StaffRow {
  id: string;
  network_id: string;
  site_ids: string[];
  roles: StaffRole[];
  display_name: string;
  email: string | null;
  phone: string | null;
  time_zone: string;
  preferred_language: string;
  active: boolean;
  updated_at: Date;
}

const SITE = `id, network_id, name, time_zone, closures::text[] AS closures, active, updated_at`;
const TRACK_COLUMNS = `id, site_id, (SELECT s.network_id FROM ${table('sites')} s WHERE s.id = site_id) AS network_id,
  name, level_of_care, population, modality, weekly_pattern, expected_stay_weeks, active, documentation_grace_hours,
  updated_at`;
const STAFF = `id, network_id, site_ids::text[] AS site_ids, roles, display_name, email, phone, time_zone,
  preferred_language, active, updated_at`;

/** A site is its own site: scoped by its id; `ScopedRecords` loads the whole row. */
export const SITE_RECORD: RecordKind<SiteRow & { site_id: string }> = {
  table: table('sites'),
  columns: `${SITE}, id AS site_id`,
  resourceType: 'site',
  clientIdOf: () => null,
};

/** A program track, loaded whole with its site's network. */
export const TRACK_RECORD: RecordKind<TrackRow> = {
  table: table('program_tracks'),
  columns: TRACK_COLUMNS,
  resourceType: 'program-track',
  clientIdOf: () => null,
};

/** All SQL of sites, program tracks and staff. `manager` is the transaction's, when there is one. */
@Injectable()
export class ReferenceRepository {
  constructor(private readonly dataSource: DataSource) {}

  async site(siteId: string, manager: EntityManager = this.dataSource.manager): Promise<SiteRow | undefined> {
    const [row] = await manager.query<SiteRow[]>(`SELECT ${SITE} FROM ${table('sites')} WHERE id = $1`, [
      siteId,
    ]);
    return row;
  }

  /** The sites among `siteIds` that exist, with their networks. */
  sites(siteIds: readonly string[]): Promise<{ id: string; network_id: string }[]> {
    return this.dataSource.query<{ id: string; network_id: string }[]>(
      `SELECT id, network_id FROM ${table('sites')} WHERE id = ANY($1)`,
      [[...siteIds]],
    );
  }

  async upsertSite(
    manager: EntityManager,
    site: { readonly id: string; readonly networkId: string; readonly updatedAt: Date },
    body: UpsertSiteDto,
  ): Promise<SiteRow> {
    const [row] = await manager.query<SiteRow[]>(
      `INSERT INTO ${table('sites')} (id, network_id, name, time_zone, closures, active, updated_at)
       VALUES ($1, $2, $3, $4, $5::date[], $6, $7)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, time_zone = EXCLUDED.time_zone,
         closures = EXCLUDED.closures, active = EXCLUDED.active, updated_at = EXCLUDED.updated_at
       RETURNING ${SITE}`,
      [
        site.id,
        site.networkId,
        body.name,
        body.timeZone,
        body.closures,
        body.active,
        site.updatedAt.toISOString(),
      ],
    );
    if (row === undefined) throw new Error('site upsert returned nothing');
    return row;
  }

  async upsertTrack(
    manager: EntityManager,
    track: { readonly id: string; readonly siteId: string; readonly updatedAt: Date },
    body: ProgramTrackDto,
  ): Promise<TrackRow> {
    await manager.query(
      `INSERT INTO ${table('program_tracks')}
         (id, site_id, name, level_of_care, population, modality, weekly_pattern, active, updated_at,
          expected_stay_weeks, documentation_grace_hours)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, level_of_care = EXCLUDED.level_of_care,
         population = EXCLUDED.population, modality = EXCLUDED.modality, weekly_pattern = EXCLUDED.weekly_pattern,
         active = EXCLUDED.active, updated_at = EXCLUDED.updated_at,
         expected_stay_weeks = EXCLUDED.expected_stay_weeks,
         documentation_grace_hours = EXCLUDED.documentation_grace_hours`,
      [
        track.id,
        track.siteId,
        body.name,
        body.levelOfCare,
        body.population,
        body.modality,
        JSON.stringify(body.weeklyPattern),
        body.active,
        track.updatedAt.toISOString(),
        body.expectedStayWeeks ?? null,
        body.documentationGraceHours ?? null,
      ],
    );
    const [row] = await manager.query<TrackRow[]>(
      `SELECT ${TRACK_COLUMNS} FROM ${table('program_tracks')} WHERE id = $1`,
      [track.id],
    );
    if (row === undefined) throw new Error('track upsert returned nothing');
    return row;
  }

  async staff(staffId: string): Promise<StaffRow | undefined> {
    const [row] = await this.dataSource.query<StaffRow[]>(
      `SELECT ${STAFF} FROM ${table('staff_members')} WHERE id = $1`,
      [staffId],
    );
    return row;
  }

  async upsertStaff(
    manager: EntityManager,
    staff: { readonly id: string; readonly networkId: string; readonly updatedAt: Date },
    body: StaffMemberDto,
  ): Promise<StaffRow> {
    const [row] = await manager.query<StaffRow[]>(
      `INSERT INTO ${table('staff_members')}
         (id, network_id, site_ids, roles, display_name, email, phone, time_zone, preferred_language, active, updated_at)
       VALUES ($1, $2, $3::uuid[], $4::text[], $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (id) DO UPDATE SET site_ids = EXCLUDED.site_ids, roles = EXCLUDED.roles,
         display_name = EXCLUDED.display_name, email = EXCLUDED.email, phone = EXCLUDED.phone,
         time_zone = EXCLUDED.time_zone, preferred_language = EXCLUDED.preferred_language,
         active = EXCLUDED.active, updated_at = EXCLUDED.updated_at
       RETURNING ${STAFF}`,
      [
        staff.id,
        staff.networkId,
        body.siteIds.map((s) => s.toLowerCase()),
        body.roles,
        body.displayName,
        body.email ?? null,
        body.phone ?? null,
        body.timeZone,
        body.preferredLanguage,
        body.active,
        staff.updatedAt.toISOString(),
      ],
    );
    if (row === undefined) throw new Error('staff upsert returned nothing');
    return row;
  }
}
