import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type StaffRole } from '@stepwise/contracts';
import { type Transaction, UnitOfWork } from '@stepwise/messaging';
import { type Actor, AuditTrail, ProblemException, SiteScope } from '@stepwise/security';
import { DataSource } from 'typeorm';
import { Clock } from '@stepwise/platform';
import { table } from '../scheduling.schema';
import { type ProgramTrackDto, type StaffMemberDto, type UpsertSiteDto } from './reference.dto';

export interface SiteView {
  id: string;
  networkId: string;
  name: string;
  timeZone: string;
  closures: string[];
  active: boolean;
  updatedAt: string;
}

export interface ProgramTrackView extends ProgramTrackDto {
  id: string;
  siteId: string;
  plannedWeeklyMinutes: number;
  updatedAt: string;
}

export interface StaffMemberView extends StaffMemberDto {
  id: string;
  networkId: string;
  updatedAt: string;
}

interface SiteRow {
  id: string;
  network_id: string;
  name: string;
  time_zone: string;
  closures: string[];
  active: boolean;
  updated_at: Date;
}
interface TrackRow {
  id: string;
  site_id: string;
  network_id: string;
  name: string;
  level_of_care: ProgramTrackDto['levelOfCare'];
  population: ProgramTrackDto['population'];
  modality: ProgramTrackDto['modality'];
  weekly_pattern: ProgramTrackDto['weeklyPattern'];
  active: boolean;
  updated_at: Date;
}
interface StaffRow {
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
const TRACK = `t.id, t.site_id, s.network_id, t.name, t.level_of_care, t.population, t.modality, t.weekly_pattern,
  t.active, t.updated_at`;
const STAFF = `id, network_id, site_ids::text[] AS site_ids, roles, display_name, email, phone, time_zone,
  preferred_language, active, updated_at`;

const siteView = (r: SiteRow): SiteView => ({
  id: r.id,
  networkId: r.network_id,
  name: r.name,
  timeZone: r.time_zone,
  closures: [...r.closures].sort(),
  active: r.active,
  updatedAt: r.updated_at.toISOString(),
});
const plannedMinutes = (pattern: ProgramTrackDto['weeklyPattern']): number =>
  pattern.reduce((sum, slot) => sum + slot.minutes, 0);
const trackView = (r: TrackRow): ProgramTrackView => ({
  id: r.id,
  siteId: r.site_id,
  name: r.name,
  levelOfCare: r.level_of_care,
  population: r.population,
  modality: r.modality,
  weeklyPattern: r.weekly_pattern,
  plannedWeeklyMinutes: plannedMinutes(r.weekly_pattern),
  active: r.active,
  updatedAt: r.updated_at.toISOString(),
});
const staffView = (r: StaffRow): StaffMemberView => ({
  id: r.id,
  networkId: r.network_id,
  siteIds: r.site_ids,
  roles: r.roles,
  displayName: r.display_name,
  ...(r.email === null ? {} : { email: r.email }),
  ...(r.phone === null ? {} : { phone: r.phone }),
  timeZone: r.time_zone,
  preferredLanguage: r.preferred_language,
  active: r.active,
  updatedAt: r.updated_at.toISOString(),
});

/**
 * Reference data owned by scheduling: sites, program tracks and staff. Each change publishes the entity's
 * complete current state on the compacted reference topic (keyed by its id, so compaction keeps the
 * latest); staff contact details are stored here only and never published.
 */
@Injectable()
export class ReferenceData {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly dataSource: DataSource,
    private readonly siteScope: SiteScope,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async upsertSite(actor: Actor, siteId: string, body: UpsertSiteDto): Promise<SiteView> {
    return this.unitOfWork.run(async (tx) => {
      await tx.lockKey(`scheduling:site:${siteId}`);
      const [existing] = await tx.manager.query<SiteRow[]>(
        `SELECT ${SITE} FROM ${table('sites')} WHERE id = $1`,
        [siteId],
      );
      const networkId = existing?.network_id ?? actor.principal.network;
      if (networkId === undefined) {
        throw new ProblemException('unprocessable', {
          detail: 'A new site needs a network: the token names none',
        });
      }
      const now = this.clock.now();
      const [row] = await tx.manager.query<SiteRow[]>(
        `INSERT INTO ${table('sites')} (id, network_id, name, time_zone, closures, active, updated_at)
         VALUES ($1, $2, $3, $4, $5::date[], $6, $7)
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, time_zone = EXCLUDED.time_zone,
           closures = EXCLUDED.closures, active = EXCLUDED.active, updated_at = EXCLUDED.updated_at
         RETURNING ${SITE}`,
        [siteId, networkId, body.name, body.timeZone, body.closures, body.active, now.toISOString()],
      );
      if (row === undefined) throw new Error('site upsert returned nothing');
      const view = siteView(row);
      await tx.publish('SiteUpserted', {
        siteId: view.id,
        networkId: view.networkId,
        name: view.name,
        timeZone: view.timeZone,
        closures: view.closures,
        active: view.active,
        updatedAt: view.updatedAt,
      });
      return view;
    });
  }

  async site(actor: Actor, siteId: string): Promise<SiteView> {
    const [row] = await this.dataSource.query<SiteRow[]>(
      `SELECT ${SITE} FROM ${table('sites')} WHERE id = $1`,
      [siteId],
    );
    if (row === undefined) throw new ProblemException('not-found', { detail: 'No such site' });
    await this.siteScope.assertRecord(
      actor,
      { siteId: row.id, networkId: row.network_id },
      {
        action: 'read',
        resourceType: 'site',
        resourceId: siteId,
      },
    );
    return siteView(row);
  }

  async createTrack(siteId: string, body: ProgramTrackDto): Promise<ProgramTrackView> {
    return this.unitOfWork.run(async (tx) => {
      const [site] = await tx.manager.query<{ id: string }[]>(
        `SELECT id FROM ${table('sites')} WHERE id = $1`,
        [siteId],
      );
      if (site === undefined) throw new ProblemException('not-found', { detail: 'No such site' });
      return this.saveTrack(tx, randomUUID(), siteId, body);
    });
  }

  async updateTrack(actor: Actor, trackId: string, body: ProgramTrackDto): Promise<ProgramTrackView> {
    const current = await this.track(actor, trackId, 'update');
    return this.unitOfWork.run((tx) => this.saveTrack(tx, trackId, current.siteId, body));
  }

  async track(actor: Actor, trackId: string, action = 'read'): Promise<ProgramTrackView> {
    const [row] = await this.dataSource.query<TrackRow[]>(
      `SELECT ${TRACK} FROM ${table('program_tracks')} t JOIN ${table('sites')} s ON s.id = t.site_id WHERE t.id = $1`,
      [trackId],
    );
    if (row === undefined) throw new ProblemException('not-found', { detail: 'No such program track' });
    await this.siteScope.assertRecord(
      actor,
      { siteId: row.site_id, networkId: row.network_id },
      {
        action,
        resourceType: 'program-track',
        resourceId: trackId,
      },
    );
    return trackView(row);
  }

  private async saveTrack(
    tx: Transaction,
    id: string,
    siteId: string,
    body: ProgramTrackDto,
  ): Promise<ProgramTrackView> {
    const now = this.clock.now();
    const pattern = body.weeklyPattern.map((s) => ({
      weekday: s.weekday,
      start: s.start,
      minutes: s.minutes,
      sessionType: s.sessionType,
    }));
    await tx.manager.query(
      `INSERT INTO ${table('program_tracks')}
         (id, site_id, name, level_of_care, population, modality, weekly_pattern, active, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, level_of_care = EXCLUDED.level_of_care,
         population = EXCLUDED.population, modality = EXCLUDED.modality, weekly_pattern = EXCLUDED.weekly_pattern,
         active = EXCLUDED.active, updated_at = EXCLUDED.updated_at`,
      [
        id,
        siteId,
        body.name,
        body.levelOfCare,
        body.population,
        body.modality,
        JSON.stringify(pattern),
        body.active,
        now.toISOString(),
      ],
    );
    const [row] = await tx.manager.query<TrackRow[]>(
      `SELECT ${TRACK} FROM ${table('program_tracks')} t JOIN ${table('sites')} s ON s.id = t.site_id WHERE t.id = $1`,
      [id],
    );
    if (row === undefined) throw new Error('track upsert returned nothing');
    const view = trackView(row);
    await tx.publish('ProgramTrackUpserted', {
      programTrackId: view.id,
      siteId: view.siteId,
      name: view.name,
      levelOfCare: view.levelOfCare,
      population: view.population,
      weeklyPattern: pattern,
      plannedWeeklyMinutes: view.plannedWeeklyMinutes,
      modality: view.modality,
      active: view.active,
      updatedAt: view.updatedAt,
    });
    return view;
  }

  async createStaff(actor: Actor, body: StaffMemberDto): Promise<StaffMemberView> {
    await this.assertSites(actor, body.siteIds, 'create');
    const networkId = actor.principal.network ?? (await this.networkOfSites(body.siteIds));
    return this.unitOfWork.run((tx) => this.saveStaff(tx, randomUUID(), networkId, body));
  }

  async updateStaff(actor: Actor, staffId: string, body: StaffMemberDto): Promise<StaffMemberView> {
    const current = await this.staff(actor, staffId, 'update');
    await this.assertSites(actor, body.siteIds, 'update');
    return this.unitOfWork.run((tx) => this.saveStaff(tx, staffId, current.networkId, body));
  }

  async staff(actor: Actor, staffId: string, action = 'read'): Promise<StaffMemberView> {
    const row = await this.staffRow(staffId);
    if (row === undefined) throw new ProblemException('not-found', { detail: 'No such staff member' });
    const allowed = await Promise.all(
      row.site_ids.map((s) => this.siteScope.allows(actor.principal, s, row.network_id)),
    );
    if (!allowed.some(Boolean)) {
      await this.siteScope.assertRecord(
        actor,
        { siteId: row.site_ids[0] ?? staffId, networkId: row.network_id },
        {
          action,
          resourceType: 'staff',
          resourceId: staffId,
        },
      );
    }
    return staffView(row);
  }

  /**
   * The contact of a staff member on one channel, for the notifications service (service principals only).
   * Every lookup is audited; an inactive member or a missing address answers 404.
   */
  async contact(
    actor: Actor,
    staffId: string,
    channel: 'sms' | 'email',
  ): Promise<{
    channel: 'sms' | 'email';
    address: string;
    timeZone: string;
    preferredLanguage: string;
    displayName?: string;
  }> {
    const row = await this.staffRow(staffId);
    const address = channel === 'email' ? row?.email : row?.phone;
    const found = row !== undefined && row.active && address !== null && address !== undefined;
    await this.audit.record(actor, {
      action: 'read',
      resourceType: 'staff-contact',
      resourceId: staffId,
      ...(row?.site_ids[0] === undefined ? {} : { siteId: row.site_ids[0] }),
      ...(row === undefined ? {} : { networkId: row.network_id }),
      outcome: found ? 'allowed' : 'denied',
    });
    if (!found || address === null || address === undefined) {
      throw new ProblemException('not-found', { detail: `No ${channel} contact for this staff member` });
    }
    return {
      channel,
      address,
      timeZone: row.time_zone,
      preferredLanguage: row.preferred_language,
      displayName: row.display_name,
    };
  }

  private async staffRow(staffId: string): Promise<StaffRow | undefined> {
    const [row] = await this.dataSource.query<StaffRow[]>(
      `SELECT ${STAFF} FROM ${table('staff_members')} WHERE id = $1`,
      [staffId],
    );
    return row;
  }

  private async assertSites(actor: Actor, siteIds: readonly string[], action: string): Promise<void> {
    const known = await this.dataSource.query<{ id: string; network_id: string }[]>(
      `SELECT id, network_id FROM ${table('sites')} WHERE id = ANY($1)`,
      [[...siteIds]],
    );
    for (const siteId of siteIds) {
      const site = known.find((k) => k.id === siteId.toLowerCase());
      if (site === undefined) throw new ProblemException('not-found', { detail: 'No such site' });
      await this.siteScope.assertRecord(
        actor,
        { siteId: site.id, networkId: site.network_id },
        {
          action,
          resourceType: 'staff',
        },
      );
    }
  }

  private async networkOfSites(siteIds: readonly string[]): Promise<string> {
    const [row] = await this.dataSource.query<{ network_id: string }[]>(
      `SELECT network_id FROM ${table('sites')} WHERE id = $1`,
      [siteIds[0]],
    );
    if (row === undefined) throw new ProblemException('not-found', { detail: 'No such site' });
    return row.network_id;
  }

  private async saveStaff(
    tx: Transaction,
    id: string,
    networkId: string,
    body: StaffMemberDto,
  ): Promise<StaffMemberView> {
    const now = this.clock.now();
    const siteIds = body.siteIds.map((s) => s.toLowerCase());
    const [row] = await tx.manager.query<StaffRow[]>(
      `INSERT INTO ${table('staff_members')}
         (id, network_id, site_ids, roles, display_name, email, phone, time_zone, preferred_language, active, updated_at)
       VALUES ($1, $2, $3::uuid[], $4::text[], $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (id) DO UPDATE SET site_ids = EXCLUDED.site_ids, roles = EXCLUDED.roles,
         display_name = EXCLUDED.display_name, email = EXCLUDED.email, phone = EXCLUDED.phone,
         time_zone = EXCLUDED.time_zone, preferred_language = EXCLUDED.preferred_language,
         active = EXCLUDED.active, updated_at = EXCLUDED.updated_at
       RETURNING ${STAFF}`,
      [
        id,
        networkId,
        siteIds,
        body.roles,
        body.displayName,
        body.email ?? null,
        body.phone ?? null,
        body.timeZone,
        body.preferredLanguage,
        body.active,
        now.toISOString(),
      ],
    );
    if (row === undefined) throw new Error('staff upsert returned nothing');
    const view = staffView(row);
    await tx.publish('StaffMemberUpserted', {
      staffId: view.id,
      networkId: view.networkId,
      siteIds: view.siteIds,
      roles: view.roles,
      active: view.active,
      updatedAt: view.updatedAt,
    });
    return view;
  }
}
