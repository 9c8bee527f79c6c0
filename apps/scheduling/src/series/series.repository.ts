import { Injectable } from '@nestjs/common';
import { Modality } from '@stepwise/contracts';
import { type Transaction } from '@stepwise/messaging';
import { type RecordKind } from '@stepwise/security';
import { DataSource, type EntityManager } from 'typeorm';
import { table } from '../scheduling.schema';
import { type CreateGroupSeriesDto } from './series.dto';
import { lockFacilitatorAndRoom } from '../schedule/slot-locks';

export interface SeriesRecord {
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

/** A seated or waitlisted member, in seat-then-waitlist order. */
export interface MemberRow {
  client_id: string;
  episode_id: string;
  status: string;
  waitlisted_at: Date | null;
}

const SERIES = `id, site_id, (SELECT s.network_id FROM ${table('sites')} s WHERE s.id = site_id) AS network_id,
  program_track_id, kind, session_type, weekday, start_time, minutes, facilitator_id, room, video_link, modality,
  capacity, starts_on::text AS starts_on`;

/** A group series, loaded whole by `ScopedRecords`. */
export const SERIES_RECORD: RecordKind<SeriesRecord> = {
  table: table('group_series'),
  columns: SERIES,
  resourceType: 'group-series',
  clientIdOf: () => null,
};

/** All SQL of group series and their members (occurrences and seats are the schedule's and enrollment's). */
@Injectable()
export class SeriesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async isTrackAt(manager: EntityManager, trackId: string, siteId: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `SELECT 1 FROM ${table('program_tracks')} WHERE id = $1 AND site_id = $2`,
      [trackId, siteId],
    );
    return rows.length > 0;
  }

  async isActiveFacilitatorAt(manager: EntityManager, staffId: string, siteId: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `SELECT 1 FROM ${table('staff_members')} WHERE id = $1 AND $2::uuid = ANY(site_ids) AND active`,
      [staffId, siteId],
    );
    return rows.length > 0;
  }

  /**
   * Locks the facilitator and room, then names the first of them that already has an active weekly series
   * overlapping the slot, if any.
   */
  async lockAndFindWeeklyClash(
    tx: Transaction,
    siteId: string,
    slot: Pick<CreateGroupSeriesDto, 'facilitatorId' | 'room' | 'weekday' | 'start' | 'minutes'>,
  ): Promise<'facilitator' | 'room' | undefined> {
    await lockFacilitatorAndRoom(tx, { ...slot, siteId });
    const [clash] = await tx.manager.query<{ what: 'facilitator' | 'room' }[]>(
      `SELECT CASE WHEN facilitator_id = $1 THEN 'facilitator' ELSE 'room' END AS what
         FROM ${table('group_series')}
        WHERE active AND weekday = $2
          AND (facilitator_id = $1 OR (site_id = $3 AND room = $4))
          AND start_time::time < ($5::time + make_interval(mins => $6))
          AND $5::time < (start_time::time + make_interval(mins => minutes))
        LIMIT 1`,
      [slot.facilitatorId, slot.weekday, siteId, slot.room ?? null, slot.start, slot.minutes],
    );
    return clash?.what;
  }

  async insert(
    manager: EntityManager,
    id: string,
    siteId: string,
    body: CreateGroupSeriesDto,
  ): Promise<SeriesRecord> {
    await manager.query(
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
    const [row] = await manager.query<SeriesRecord[]>(
      `SELECT ${SERIES} FROM ${table('group_series')} WHERE id = $1`,
      [id],
    );
    if (row === undefined) throw new Error('series insert returned nothing');
    return row;
  }

  /** Seated members first, then the waitlist in position order. */
  members(seriesId: string): Promise<MemberRow[]> {
    return this.dataSource.query<MemberRow[]>(
      `SELECT client_id, episode_id, status, waitlisted_at FROM ${table('series_members')}
        WHERE series_id = $1 AND status IN ('seated', 'waitlisted') ORDER BY position NULLS FIRST, id`,
      [seriesId],
    );
  }

  /** The client's current membership of the series, locked. */
  async lockMember(
    manager: EntityManager,
    seriesId: string,
    clientId: string,
  ): Promise<{ member_id: string; member_status: string; episode_id: string } | undefined> {
    const [member] = await manager.query<{ member_id: string; member_status: string; episode_id: string }[]>(
      `SELECT m.id AS member_id, m.status AS member_status, m.episode_id
         FROM ${table('series_members')} m
        WHERE m.series_id = $1 AND m.client_id = $2 AND m.status IN ('seated', 'waitlisted')
        FOR UPDATE`,
      [seriesId, clientId],
    );
    return member;
  }

  async markLeft(manager: EntityManager, memberId: string, at: Date): Promise<void> {
    await manager.query(`UPDATE ${table('series_members')} SET status = 'left', left_at = $2 WHERE id = $1`, [
      memberId,
      at.toISOString(),
    ]);
  }
}
