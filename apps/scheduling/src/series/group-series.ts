import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type CancellationReason, Modality } from '@stepwise/contracts';
import { UnitOfWork } from '@stepwise/messaging';
import { type Actor, AuditTrail, ProblemException, SiteScope } from '@stepwise/security';
import { DataSource } from 'typeorm';
import { Clock } from '@stepwise/platform';
import { Seating } from '../enrollment/seating';
import { table } from '../scheduling.schema';
import { ScheduleGenerator } from '../schedule/schedule-generator';
import { type CreateGroupSeriesDto } from './series.dto';

export interface GroupSeriesView {
  id: string;
  siteId: string;
  programTrackId: string | null;
  kind: string;
  sessionType: string;
  weekday: string;
  start: string;
  minutes: number;
  facilitatorId: string;
  room: string | null;
  videoLink: string | null;
  modality: string;
  capacity: number;
  startsOn: string;
}

export interface CapacityView {
  seriesId: string;
  capacity: number;
  seated: number;
  available: number;
  waitlist: { clientId: string; episodeId: string; position: number; waitlistedAt: string }[];
}

interface SeriesRecord {
  id: string;
  site_id: string;
  network_id: string;
  program_track_id: string | null;
  kind: string;
  session_type: string;
  weekday: string;
  start_time: string;
  minutes: number;
  facilitator_id: string;
  room: string | null;
  video_link: string | null;
  modality: string;
  capacity: number;
  starts_on: string;
}

const SERIES = `g.id, g.site_id, s.network_id, g.program_track_id, g.kind, g.session_type, g.weekday, g.start_time,
  g.minutes, g.facilitator_id, g.room, g.video_link, g.modality, g.capacity, g.starts_on::text AS starts_on`;

const view = (r: SeriesRecord): GroupSeriesView => ({
  id: r.id,
  siteId: r.site_id,
  programTrackId: r.program_track_id,
  kind: r.kind,
  sessionType: r.session_type,
  weekday: r.weekday,
  start: r.start_time,
  minutes: r.minutes,
  facilitatorId: r.facilitator_id,
  room: r.room,
  videoLink: r.video_link,
  modality: r.modality,
  capacity: r.capacity,
  startsOn: r.starts_on,
});

/**
 * Group series: creation with facilitator and room conflict checks on the weekly slot, their first
 * occurrences up to the horizon, capacity and waitlist views, and withdrawing a client (which frees the
 * seat for the first waiting client).
 */
@Injectable()
export class GroupSeries {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly dataSource: DataSource,
    private readonly generator: ScheduleGenerator,
    private readonly seating: Seating,
    private readonly siteScope: SiteScope,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async create(siteId: string, body: CreateGroupSeriesDto): Promise<GroupSeriesView> {
    if ((body.room === undefined) === (body.videoLink === undefined)) {
      throw new ProblemException('unprocessable', { detail: 'Give exactly one of room and videoLink' });
    }
    return this.unitOfWork.run(async (tx) => {
      const site = await this.generator.loadSite(tx, siteId);
      if (site === undefined) throw new ProblemException('not-found', { detail: 'No such site' });
      const [track] = await tx.manager.query<{ id: string }[]>(
        `SELECT id FROM ${table('program_tracks')} WHERE id = $1 AND site_id = $2`,
        [body.programTrackId, siteId],
      );
      if (track === undefined)
        throw new ProblemException('not-found', { detail: 'No such program track at this site' });
      const [facilitator] = await tx.manager.query<{ id: string }[]>(
        `SELECT id FROM ${table('staff_members')} WHERE id = $1 AND $2::uuid = ANY(site_ids) AND active`,
        [body.facilitatorId, siteId],
      );
      if (facilitator === undefined) {
        throw new ProblemException('not-found', { detail: 'No such active staff member at this site' });
      }
      await tx.lockKey(`scheduling:staff:${body.facilitatorId}`);
      if (body.room !== undefined) await tx.lockKey(`scheduling:room:${siteId}:${body.room}`);
      const [clash] = await tx.manager.query<{ what: string }[]>(
        `SELECT CASE WHEN facilitator_id = $1 THEN 'facilitator' ELSE 'room' END AS what
           FROM ${table('group_series')}
          WHERE active AND weekday = $2
            AND (facilitator_id = $1 OR (site_id = $3 AND room = $4))
            AND start_time::time < ($5::time + make_interval(mins => $6))
            AND $5::time < (start_time::time + make_interval(mins => minutes))
          LIMIT 1`,
        [body.facilitatorId, body.weekday, siteId, body.room ?? null, body.start, body.minutes],
      );
      if (clash !== undefined) {
        throw new ProblemException('schedule-conflict', {
          detail: `The ${clash.what} already has a weekly session overlapping this slot`,
        });
      }
      const id = randomUUID();
      await tx.manager.query(
        `INSERT INTO ${table('group_series')}
           (id, site_id, program_track_id, kind, session_type, weekday, start_time, minutes, facilitator_id, room,
            video_link, modality, capacity, starts_on)
         VALUES ($1, $2, $3, 'group', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          id,
          siteId,
          body.programTrackId,
          body.sessionType,
          body.weekday,
          body.start,
          body.minutes,
          body.facilitatorId,
          body.room ?? null,
          body.videoLink ?? null,
          body.room === undefined ? Modality.Telehealth : Modality.InPerson,
          body.capacity,
          body.startsOn,
        ],
      );
      const now = this.clock.now();
      await this.generator.extendOccurrences(tx, site, now, this.generator.horizonEnd(site, now), [id]);
      const [row] = await tx.manager.query<SeriesRecord[]>(
        `SELECT ${SERIES} FROM ${table('group_series')} g JOIN ${table('sites')} s ON s.id = g.site_id WHERE g.id = $1`,
        [id],
      );
      if (row === undefined) throw new Error('series insert returned nothing');
      return view(row);
    });
  }

  async get(actor: Actor, seriesId: string, action = 'read'): Promise<GroupSeriesView> {
    const [row] = await this.dataSource.query<SeriesRecord[]>(
      `SELECT ${SERIES} FROM ${table('group_series')} g JOIN ${table('sites')} s ON s.id = g.site_id WHERE g.id = $1`,
      [seriesId],
    );
    if (row === undefined) throw new ProblemException('not-found', { detail: 'No such group series' });
    await this.siteScope.assertRecord(
      actor,
      { siteId: row.site_id, networkId: row.network_id },
      {
        action,
        resourceType: 'group-series',
        resourceId: seriesId,
      },
    );
    return view(row);
  }

  /** Seats taken, seats free and the waitlist in order (client ids: audited as a read of client data). */
  async capacity(actor: Actor, seriesId: string): Promise<CapacityView> {
    const series = await this.get(actor, seriesId);
    const members = await this.dataSource.query<
      { client_id: string; episode_id: string; status: string; waitlisted_at: Date | null }[]
    >(
      `SELECT client_id, episode_id, status, waitlisted_at FROM ${table('series_members')}
        WHERE series_id = $1 AND status IN ('seated', 'waitlisted') ORDER BY position NULLS FIRST, id`,
      [seriesId],
    );
    await this.audit.record(actor, {
      action: 'read',
      resourceType: 'waitlist',
      resourceId: seriesId,
      siteId: series.siteId,
      outcome: 'allowed',
    });
    const seated = members.filter((m) => m.status === 'seated').length;
    const waiting = members.filter((m) => m.status === 'waitlisted');
    return {
      seriesId,
      capacity: series.capacity,
      seated,
      available: Math.max(0, series.capacity - seated),
      waitlist: waiting.map((m, index) => ({
        clientId: m.client_id,
        episodeId: m.episode_id,
        position: index + 1,
        waitlistedAt: (m.waitlisted_at ?? new Date(0)).toISOString(),
      })),
    };
  }

  /** Takes a client out of a series (seat or waitlist): cancels their future appointments in it, promotes. */
  async withdraw(
    actor: Actor,
    seriesId: string,
    clientId: string,
    reason: CancellationReason,
  ): Promise<CapacityView> {
    const series = await this.get(actor, seriesId, 'update');
    await this.unitOfWork.run(async (tx) => {
      const [member] = await tx.manager.query<
        { member_id: string; member_status: string; episode_id: string }[]
      >(
        `SELECT m.id AS member_id, m.status AS member_status, m.episode_id
           FROM ${table('series_members')} m
          WHERE m.series_id = $1 AND m.client_id = $2 AND m.status IN ('seated', 'waitlisted')
          FOR UPDATE`,
        [seriesId, clientId],
      );
      if (member === undefined)
        throw new ProblemException('not-found', { detail: 'The client is not in this series' });
      const now = this.clock.now();
      await tx.manager.query(
        `UPDATE ${table('series_members')} SET status = 'left', left_at = $2 WHERE id = $1`,
        [member.member_id, now.toISOString()],
      );
      await this.audit.record(
        actor,
        {
          action: 'withdraw',
          resourceType: 'series-member',
          resourceId: seriesId,
          clientId,
          siteId: series.siteId,
          outcome: 'allowed',
        },
        tx.manager,
      );
      if (member.member_status !== 'seated') return;
      await this.seating.cancelAppointments(
        tx,
        { episodeId: member.episode_id, from: now, seriesId },
        reason,
        now,
      );
      const site = await this.generator.loadSite(tx, series.siteId);
      if (site !== undefined) await this.seating.promote(tx, site, seriesId, now);
    });
    return this.capacity(actor, seriesId);
  }
}
