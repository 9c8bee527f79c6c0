import { type EntityManager } from 'typeorm';
import { type ProgramTrackDto, type StaffMemberDto, type UpsertSiteDto } from '../reference/reference.dto';
import {
  type ReferenceRepository,
  SITE_RECORD,
  type SiteRow,
  type StaffRow,
  TRACK_RECORD,
  type TrackRow,
} from '../reference/reference.repository';
import { type InMemoryScopedRecords } from '@stepwise/security';
import { type PublicOf } from './in-memory-appointments';

/**
 * Sites, tracks and staff in memory with the repository's semantics (upserts keep a row's id and network;
 * ids compare case-insensitively, as uuids do); sites and tracks are also given to `records`, as the real
 * tables are what `ScopedRecords` reads.
 */
export class InMemoryReference implements PublicOf<ReferenceRepository> {
  readonly siteRows = new Map<string, SiteRow>();
  readonly trackRows = new Map<string, TrackRow>();
  readonly staffRows = new Map<string, StaffRow>();

  constructor(private readonly records: InMemoryScopedRecords) {}

  site(siteId: string): Promise<SiteRow | undefined> {
    return Promise.resolve(this.siteRows.get(siteId));
  }

  sites(siteIds: readonly string[]): Promise<{ id: string; network_id: string }[]> {
    const wanted = siteIds.map((s) => s.toLowerCase());
    const found = [...this.siteRows.values()].filter((s) => wanted.includes(s.id));
    return Promise.resolve(found.map((s) => ({ id: s.id, network_id: s.network_id })));
  }

  upsertSite(
    _manager: EntityManager,
    site: { readonly id: string; readonly networkId: string; readonly updatedAt: Date },
    body: UpsertSiteDto,
  ): Promise<SiteRow> {
    const row: SiteRow = {
      id: site.id,
      // ON CONFLICT keeps the stored network.
      network_id: this.siteRows.get(site.id)?.network_id ?? site.networkId,
      name: body.name,
      time_zone: body.timeZone,
      closures: [...body.closures],
      active: body.active,
      updated_at: site.updatedAt,
    };
    this.siteRows.set(row.id, row);
    this.records.put(SITE_RECORD, { ...row, site_id: row.id });
    return Promise.resolve(row);
  }

  upsertTrack(
    _manager: EntityManager,
    track: { readonly id: string; readonly siteId: string; readonly updatedAt: Date },
    body: ProgramTrackDto,
  ): Promise<TrackRow> {
    const networkId = this.siteRows.get(track.siteId)?.network_id;
    if (networkId === undefined) return Promise.reject(new Error('track at a missing site'));
    const row: TrackRow = {
      id: track.id,
      site_id: track.siteId,
      network_id: networkId,
      name: body.name,
      level_of_care: body.levelOfCare,
      population: body.population,
      modality: body.modality,
      weekly_pattern: body.weeklyPattern,
      expected_stay_weeks: body.expectedStayWeeks ?? null,
      active: body.active,
      documentation_grace_hours: body.documentationGraceHours ?? null,
      updated_at: track.updatedAt,
    };
    this.trackRows.set(row.id, row);
    this.records.put(TRACK_RECORD, row);
    return Promise.resolve(row);
  }

  staff(staffId: string): Promise<StaffRow | undefined> {
    return Promise.resolve(this.staffRows.get(staffId));
  }

  upsertStaff(
    _manager: EntityManager,
    staff: { readonly id: string; readonly networkId: string; readonly updatedAt: Date },
    body: StaffMemberDto,
  ): Promise<StaffRow> {
    const row: StaffRow = {
      id: staff.id,
      network_id: staff.networkId,
      site_ids: body.siteIds.map((s) => s.toLowerCase()),
      roles: body.roles,
      display_name: body.displayName,
      email: body.email ?? null,
      phone: body.phone ?? null,
      time_zone: body.timeZone,
      preferred_language: body.preferredLanguage,
      active: body.active,
      updated_at: staff.updatedAt,
    };
    this.staffRows.set(row.id, row);
    return Promise.resolve(row);
  }

  asRepository(): ReferenceRepository {
    return this as unknown as ReferenceRepository;
  }
}
