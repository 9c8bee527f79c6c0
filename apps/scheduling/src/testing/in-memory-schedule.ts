import { type LocalDate } from '@stepwise/care-rules';
import { NO_DATABASE } from '@stepwise/messaging';
import { type EntityManager } from 'typeorm';
import {
  type BookedSeat,
  type LevelFlag,
  type NewOccurrence,
  type PlannedWeek,
  type ScheduleRepository,
  type SeatScope,
  type ShapeFlag,
} from '../schedule/schedule.repository';
import { type SeriesRow, type SiteRow } from '../schedule/schedule.rows';
import { NETWORK } from './actors';
import { type PublicOf } from './in-memory-appointments';

/**
 * The generated schedule in memory, with the repository's semantics where the generator's logic depends on
 * them: active series of a site in id order, occurrences unique per series and date, level flags recorded
 * once per episode and week, a job lock another replica may hold. What the bulk seat booking would insert is
 * given by the test (`seatsToBook`), and each scope it was asked for is recorded.
 */
export class InMemorySchedule implements PublicOf<ScheduleRepository> {
  readonly sites = new Map<string, SiteRow>();
  readonly seriesRows: SeriesRow[] = [];
  readonly occurrences: NewOccurrence[] = [];
  readonly bookings: SeatScope[] = [];
  seatsToBook: BookedSeat[] = [];
  readonly planned: (PlannedWeek & { site_id: string })[] = [];
  readonly flags: LevelFlag[] = [];
  readonly shapeFlags: ShapeFlag[] = [];
  /** Whether another replica holds the job's lock. */
  lockedElsewhere = false;
  readonly lockedKeys: string[] = [];

  addSite(id: string, overrides: Partial<SiteRow> = {}): SiteRow {
    const site: SiteRow = {
      id,
      network_id: NETWORK,
      time_zone: 'America/New_York',
      closures: [],
      active: true,
      ...overrides,
    };
    this.sites.set(id, site);
    return site;
  }

  site(_manager: EntityManager, siteId: string): Promise<SiteRow | undefined> {
    return Promise.resolve(this.sites.get(siteId));
  }

  activeSiteIds(): Promise<string[]> {
    return Promise.resolve(
      [...this.sites.values()]
        .filter((s) => s.active)
        .map((s) => s.id)
        .sort(),
    );
  }

  async exclusively<T>(key: string, work: (manager: EntityManager) => Promise<T>): Promise<T | undefined> {
    if (this.lockedElsewhere) return undefined;
    this.lockedKeys.push(key);
    return work(NO_DATABASE);
  }

  lockActiveSeries(
    _manager: EntityManager,
    siteId: string,
    seriesIds?: readonly string[],
  ): Promise<SeriesRow[]> {
    return Promise.resolve(
      this.seriesRows
        .filter((s) => s.site_id === siteId && (seriesIds === undefined || seriesIds.includes(s.id)))
        .sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
  }

  insertOccurrences(_manager: EntityManager, rows: readonly NewOccurrence[]): Promise<void> {
    for (const row of rows) {
      const taken = this.occurrences.some(
        (o) => o.seriesId === row.seriesId && o.localDate === row.localDate,
      );
      if (!taken) this.occurrences.push(row);
    }
    return Promise.resolve();
  }

  markGeneratedUntil(_manager: EntityManager, seriesIds: readonly string[], until: LocalDate): Promise<void> {
    this.seriesRows.forEach((s, i) => {
      if (seriesIds.includes(s.id)) this.seriesRows[i] = { ...s, generated_until: until };
    });
    return Promise.resolve();
  }

  bookSeats(_manager: EntityManager, scope: SeatScope): Promise<BookedSeat[]> {
    this.bookings.push(scope);
    const booked = this.seatsToBook;
    this.seatsToBook = [];
    return Promise.resolve(booked);
  }

  plannedWeeks(
    _manager: EntityManager,
    siteId: string,
    window: { readonly weekFrom: LocalDate; readonly until: LocalDate },
    enrollmentIds?: readonly string[],
  ): Promise<PlannedWeek[]> {
    const ofSite = this.planned.filter(
      (p) => p.site_id === siteId && (enrollmentIds === undefined || enrollmentIds.includes(p.id)),
    );
    const rows: PlannedWeek[] = [];
    for (const id of new Set(ofSite.map((p) => p.id))) {
      const weeks = ofSite.filter((p) => p.id === id);
      const inWindow = weeks.filter(
        (p) => p.week_start !== null && p.week_start >= window.weekFrom && p.week_start < window.until,
      );
      const first = weeks[0];
      // LEFT JOIN LATERAL: an enrollment with nothing planned in the window still answers, with nulls.
      if (inWindow.length === 0 && first !== undefined)
        rows.push({ ...first, week_start: null, minutes: null, days: null });
      rows.push(...inWindow);
    }
    return Promise.resolve(rows);
  }

  recordLevelFlags(_manager: EntityManager, flags: readonly LevelFlag[]): Promise<Set<string>> {
    const fresh = new Set<string>();
    for (const flag of flags) {
      const key = `${flag.episodeId}/${flag.weekStart}`;
      if (this.flags.some((f) => `${f.episodeId}/${f.weekStart}` === key)) continue;
      this.flags.push(flag);
      fresh.add(key);
    }
    return Promise.resolve(fresh);
  }

  recordShapeFlags(_manager: EntityManager, flags: readonly ShapeFlag[]): Promise<Set<string>> {
    const fresh = new Set<string>();
    for (const flag of flags) {
      const key = `${flag.episodeId}/${flag.weekStart}`;
      if (this.shapeFlags.some((f) => `${f.episodeId}/${f.weekStart}` === key)) continue;
      this.shapeFlags.push(flag);
      fresh.add(key);
    }
    return Promise.resolve(fresh);
  }

  asRepository(): ScheduleRepository {
    return this as unknown as ScheduleRepository;
  }
}
