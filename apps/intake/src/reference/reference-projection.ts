import { Injectable } from '@nestjs/common';
import {
  type LevelOfCare,
  type Population,
  type ProgramTrackUpsertedV1Payload,
  type SiteUpsertedV1Payload,
} from '@stepwise/contracts';
import { SiteDirectory } from '@stepwise/security';
import { DataSource, type EntityManager } from 'typeorm';

export interface ProjectedTrack {
  readonly id: string;
  readonly siteId: string;
  readonly levelOfCare: LevelOfCare;
  readonly population: Population;
  readonly active: boolean;
}

export interface ProjectedSite {
  readonly id: string;
  readonly networkId: string;
  readonly timeZone: string;
  readonly active: boolean;
}

/**
 * Intake's copy of scheduling's reference data (sites, program tracks), built from the compacted
 * `scheduling.reference.v1` topic. Upserts keep the newest version by `updatedAt`, so replaying the topic
 * or receiving an older record late never rolls a site or track back.
 */
@Injectable()
export class ReferenceProjection {
  async applySite(site: SiteUpsertedV1Payload, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO intake.sites (id, network_id, time_zone, active, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET network_id = EXCLUDED.network_id, time_zone = EXCLUDED.time_zone,
         active = EXCLUDED.active, updated_at = EXCLUDED.updated_at
       WHERE intake.sites.updated_at <= EXCLUDED.updated_at`,
      [site.siteId, site.networkId, site.timeZone, site.active, site.updatedAt],
    );
  }

  async applyTrack(track: ProgramTrackUpsertedV1Payload, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO intake.program_tracks (id, site_id, level_of_care, population, active, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET site_id = EXCLUDED.site_id, level_of_care = EXCLUDED.level_of_care,
         population = EXCLUDED.population, active = EXCLUDED.active, updated_at = EXCLUDED.updated_at
       WHERE intake.program_tracks.updated_at <= EXCLUDED.updated_at`,
      [
        track.programTrackId,
        track.siteId,
        track.levelOfCare,
        track.population,
        track.active,
        track.updatedAt,
      ],
    );
  }

  async site(id: string, manager: EntityManager): Promise<ProjectedSite | undefined> {
    const [row] = await manager.query<
      { id: string; network_id: string; time_zone: string; active: boolean }[]
    >(`SELECT id, network_id, time_zone, active FROM intake.sites WHERE id = $1`, [id]);
    return row && { id: row.id, networkId: row.network_id, timeZone: row.time_zone, active: row.active };
  }

  async track(id: string, manager: EntityManager): Promise<ProjectedTrack | undefined> {
    const [row] = await manager.query<
      { id: string; site_id: string; level_of_care: LevelOfCare; population: Population; active: boolean }[]
    >(`SELECT id, site_id, level_of_care, population, active FROM intake.program_tracks WHERE id = $1`, [id]);
    return (
      row && {
        id: row.id,
        siteId: row.site_id,
        levelOfCare: row.level_of_care,
        population: row.population,
        active: row.active,
      }
    );
  }
}

/** Network membership of sites, from the projection: lets network-wide callers (service, network-admin) in. */
@Injectable()
export class ProjectedSiteDirectory extends SiteDirectory {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async networkOf(siteId: string): Promise<string | undefined> {
    if (!this.dataSource.isInitialized) return undefined;
    const [row] = await this.dataSource.query<{ network_id: string }[]>(
      `SELECT network_id FROM intake.sites WHERE id = $1`,
      [siteId],
    );
    return row?.network_id;
  }
}
