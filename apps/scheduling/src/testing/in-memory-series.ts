import { examplePayload } from '@stepwise/contracts';
import { type CancellationReason } from '@stepwise/contracts';
import { type Transaction, pendingEvent } from '@stepwise/messaging';
import { type EntityManager } from 'typeorm';
import { type Seating, type SeatingResult } from '../enrollment/seating';
import { type ScheduleGenerator } from '../schedule/schedule-generator';
import { type EnrollmentRow, type SiteRow } from '../schedule/schedule.rows';
import { type CreateGroupSeriesDto } from '../series/series.dto';
import {
  type MemberRow,
  SERIES_RECORD,
  type SeriesRecord,
  type SeriesRepository,
} from '../series/series.repository';
import { NETWORK } from './actors';
import { type InMemoryScopedRecords } from '@stepwise/security';
import { type PublicOf } from './in-memory-appointments';
import { lockFacilitatorAndRoom } from '../schedule/slot-locks';

interface StoredMember extends MemberRow {
  id: string;
  series_id: string;
}

/** Minutes since midnight of `HH:mm`. */
const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/**
 * Group series and members in memory, with the repository's semantics (weekly overlap on the same weekday,
 * by facilitator anywhere or by room at the site); series are also given to `records`.
 */
export class InMemorySeries implements PublicOf<SeriesRepository> {
  readonly series = new Map<string, SeriesRecord>();
  readonly memberRows: StoredMember[] = [];
  readonly tracks: { id: string; siteId: string }[] = [];
  readonly staff: { id: string; siteIds: string[] }[] = [];

  constructor(private readonly records: InMemoryScopedRecords) {}

  isTrackAt(_manager: EntityManager, trackId: string, siteId: string): Promise<boolean> {
    return Promise.resolve(this.tracks.some((t) => t.id === trackId && t.siteId === siteId));
  }

  isActiveFacilitatorAt(_manager: EntityManager, staffId: string, siteId: string): Promise<boolean> {
    return Promise.resolve(this.staff.some((s) => s.id === staffId && s.siteIds.includes(siteId)));
  }

  async lockAndFindWeeklyClash(
    tx: Transaction,
    siteId: string,
    slot: Pick<CreateGroupSeriesDto, 'facilitatorId' | 'room' | 'weekday' | 'start' | 'minutes'>,
  ): Promise<'facilitator' | 'room' | undefined> {
    await lockFacilitatorAndRoom(tx, { ...slot, siteId });
    const start = minutesOf(slot.start);
    const clash = [...this.series.values()].find(
      (g) =>
        g.weekday === slot.weekday &&
        (g.facilitator_id === slot.facilitatorId || (g.site_id === siteId && g.room === slot.room)) &&
        minutesOf(g.start_time) < start + slot.minutes &&
        start < minutesOf(g.start_time) + g.minutes,
    );
    if (clash === undefined) return undefined;
    return clash.facilitator_id === slot.facilitatorId ? 'facilitator' : 'room';
  }

  insert(
    _manager: EntityManager,
    id: string,
    siteId: string,
    body: CreateGroupSeriesDto,
  ): Promise<SeriesRecord> {
    const row: SeriesRecord = {
      id,
      site_id: siteId,
      network_id: NETWORK,
      program_track_id: body.programTrackId,
      kind: 'group',
      session_type: body.sessionType,
      weekday: body.weekday,
      start_time: body.start,
      minutes: body.minutes,
      facilitator_id: body.facilitatorId,
      room: body.room ?? null,
      video_link: body.videoLink ?? null,
      modality: body.room === undefined ? 'telehealth' : 'in-person',
      capacity: body.capacity,
      starts_on: body.startsOn,
    };
    this.add(row);
    return Promise.resolve(row);
  }

  add(row: SeriesRecord): void {
    this.series.set(row.id, row);
    this.records.put(SERIES_RECORD, row);
  }

  members(seriesId: string): Promise<MemberRow[]> {
    const current = this.memberRows.filter(
      (m) => m.series_id === seriesId && (m.status === 'seated' || m.status === 'waitlisted'),
    );
    // Seats (no position) first, then the waitlist in the order it was joined.
    const seated = current.filter((m) => m.status === 'seated');
    const waiting = current.filter((m) => m.status === 'waitlisted');
    return Promise.resolve([...seated, ...waiting]);
  }

  lockMember(
    _manager: EntityManager,
    seriesId: string,
    clientId: string,
  ): Promise<{ member_id: string; member_status: string; episode_id: string } | undefined> {
    const m = this.memberRows.find(
      (r) =>
        r.series_id === seriesId &&
        r.client_id === clientId &&
        (r.status === 'seated' || r.status === 'waitlisted'),
    );
    return Promise.resolve(m && { member_id: m.id, member_status: m.status, episode_id: m.episode_id });
  }

  markLeft(_manager: EntityManager, memberId: string): Promise<void> {
    const m = this.memberRows.find((r) => r.id === memberId);
    if (m !== undefined) m.status = 'left';
    return Promise.resolve();
  }

  asRepository(): SeriesRepository {
    return this as unknown as SeriesRepository;
  }
}

/** The schedule generator as series use cases call it: sites by id, calls recorded. */
export class FakeScheduleGenerator {
  readonly sites = new Map<string, SiteRow>();
  readonly extended: {
    siteId: string;
    until: string;
    seriesIds?: readonly string[];
    backfillFrom?: string;
  }[] = [];

  addSite(id: string): void {
    this.sites.set(id, {
      id,
      network_id: NETWORK,
      time_zone: 'America/New_York',
      closures: [],
      active: true,
    });
  }

  loadSite(_tx: Transaction, siteId: string): Promise<SiteRow | undefined> {
    return Promise.resolve(this.sites.get(siteId));
  }

  horizonEnd(_site: SiteRow, now: Date): string {
    return `horizon-from-${now.toISOString()}`;
  }

  extendOccurrences(
    _tx: Transaction,
    site: SiteRow,
    _now: Date,
    until: string,
    seriesIds?: readonly string[],
    backfillFrom?: string,
  ): Promise<string | null> {
    this.extended.push({
      siteId: site.id,
      until,
      ...(seriesIds === undefined ? {} : { seriesIds }),
      ...(backfillFrom === undefined ? {} : { backfillFrom }),
    });
    return Promise.resolve(null);
  }

  readonly filled: { siteId: string; enrollmentIds?: readonly string[]; includePast?: boolean }[] = [];
  readonly checked: { from: string; until: string; enrollmentIds?: readonly string[] }[] = [];

  fillSeats(
    _tx: Transaction,
    siteId: string,
    _now: Date,
    filter: { enrollmentIds?: readonly string[]; includePast?: boolean } = {},
  ): Promise<number> {
    this.filled.push({ siteId, ...filter });
    return Promise.resolve(0);
  }

  checkLevelMinimums(
    _tx: Transaction,
    _site: SiteRow,
    window: { readonly from: string; readonly until: string },
    enrollmentIds?: readonly string[],
  ): Promise<number> {
    this.checked.push({ ...window, ...(enrollmentIds === undefined ? {} : { enrollmentIds }) });
    return Promise.resolve(0);
  }

  asGenerator(): ScheduleGenerator {
    return this as unknown as ScheduleGenerator;
  }
}

/** Seating as withdrawing calls it: what was cancelled and promoted. */
export class FakeSeating {
  readonly cancelled: { episodeId: string; seriesId?: string; reason: CancellationReason; at: string }[] = [];
  readonly promoted: string[] = [];

  cancelAppointments(
    _tx: Transaction,
    scope: { episodeId: string; from: Date; seriesId?: string },
    reason: CancellationReason,
    now: Date,
  ): Promise<number> {
    this.cancelled.push({
      episodeId: scope.episodeId,
      seriesId: scope.seriesId,
      reason,
      at: now.toISOString(),
    });
    return Promise.resolve(1);
  }

  readonly seated: string[] = [];
  readonly left: { enrollmentId: string; at: string; reason: CancellationReason }[] = [];

  /** Seats every enrollment for 240 minutes a week and announces it with one event. */
  seat(_tx: Transaction, _site: SiteRow, enrollment: EnrollmentRow): Promise<SeatingResult> {
    this.seated.push(enrollment.id);
    const event = pendingEvent('ClientWaitlisted', examplePayload('ClientWaitlisted'));
    return Promise.resolve({ seatedMinutes: 240, events: [event] });
  }

  leave(
    _tx: Transaction,
    _site: SiteRow,
    enrollment: EnrollmentRow,
    at: Date,
    reason: CancellationReason,
  ): Promise<void> {
    this.left.push({ enrollmentId: enrollment.id, at: at.toISOString(), reason });
    return Promise.resolve();
  }

  promote(_tx: Transaction, _site: SiteRow, seriesId: string): Promise<number> {
    this.promoted.push(seriesId);
    return Promise.resolve(1);
  }

  asSeating(): Seating {
    return this as unknown as Seating;
  }
}
