import { randomUUID } from 'node:crypto';
import { type CancellationReason, type LevelOfCare } from '@stepwise/contracts';
import { type EntityManager } from 'typeorm';
import {
  type AppointmentScope,
  type CancelledAppointment,
  type EnrollmentRepository,
  type EnrollmentTrack,
  type LeftMembership,
  type NewEnrollmentRow,
  type NewIndividualSeries,
  type TrackSeries,
} from '../enrollment/enrollment.repository';
import { type BusySlot } from '../enrollment/individual-slot';
import { type EnrollmentRow, type SeriesRow } from '../schedule/schedule.rows';
import { type PublicOf } from './in-memory-appointments';

/** A seat or waitlist place as `series_members` stores it. */
export interface StoredMembership {
  id: string;
  series_id: string;
  enrollment_id: string;
  client_id: string;
  episode_id: string;
  status: 'seated' | 'waitlisted' | 'left';
  position: number | null;
  joined_on: string | null;
  waitlisted_at: string | null;
}

/** An appointment as seating sees it: the episode's, at a time, of an occurrence of a series (or none). */
export interface StoredEpisodeAppointment {
  id: string;
  client_id: string;
  episode_id: string;
  site_id: string;
  series_id: string | null;
  starts_at: Date;
  status: 'scheduled' | 'cancelled';
  cancel_reason: string | null;
}

/**
 * Enrollments, tracks, series, seats and appointments in memory, with the repository's semantics (a track's
 * series in slot order, waitlist positions per series, promotion in position order, cancellation of
 * scheduled appointments from an instant).
 */
export class InMemoryEnrollments implements PublicOf<EnrollmentRepository> {
  readonly rows: (EnrollmentRow & { ended_at?: string })[] = [];
  readonly tracks = new Map<string, EnrollmentTrack>();
  /** Group and individual series, in the order they were created. */
  readonly series: (SeriesRow & { active: boolean })[] = [];
  readonly memberships: StoredMembership[] = [];
  readonly appointments: StoredEpisodeAppointment[] = [];
  /** Occurrences cancelled from an instant, per series (what `retireSeries` did). */
  readonly retired: { seriesId: string; from: string }[] = [];

  hasEnrollment(_manager: EntityManager, episodeId: string): Promise<boolean> {
    return Promise.resolve(this.rows.some((r) => r.episode_id === episodeId));
  }

  lockActive(_manager: EntityManager, episodeId: string): Promise<EnrollmentRow | undefined> {
    return Promise.resolve(this.rows.find((r) => r.episode_id === episodeId && r.status === 'active'));
  }

  setLevel(_manager: EntityManager, enrollmentId: string, level: LevelOfCare): Promise<void> {
    this.replace(enrollmentId, { level_of_care: level });
    return Promise.resolve();
  }

  end(
    _manager: EntityManager,
    enrollmentId: string,
    status: 'moved' | 'discharged',
    at: Date,
  ): Promise<void> {
    this.replace(enrollmentId, { status, ended_at: at.toISOString() });
    return Promise.resolve();
  }

  track(_manager: EntityManager, trackId: string): Promise<EnrollmentTrack | undefined> {
    return Promise.resolve(this.tracks.get(trackId));
  }

  insert(_manager: EntityManager, e: NewEnrollmentRow): Promise<EnrollmentRow> {
    const row: EnrollmentRow = {
      id: randomUUID(),
      episode_id: e.episodeId,
      client_id: e.clientId,
      site_id: e.siteId,
      program_track_id: e.programTrackId,
      level_of_care: e.levelOfCare,
      population: e.population,
      primary_counselor_id: e.primaryCounselorId,
      starts_on: e.startsOn,
      status: 'active',
    };
    this.rows.push(row);
    return Promise.resolve(row);
  }

  lockTrackSeries(_manager: EntityManager, trackId: string): Promise<TrackSeries[]> {
    // ORDER BY weekday, start_time, session_type (text columns), then creation.
    const slotOf = (s: SeriesRow): string[] => [s.weekday, s.start_time, s.session_type];
    const bySlot = (a: SeriesRow, b: SeriesRow): number => {
      const [x, y] = [slotOf(a), slotOf(b)];
      const i = x.findIndex((value, k) => value !== y[k]);
      return i < 0 ? 0 : (x[i] ?? '') < (y[i] ?? '') ? -1 : 1;
    };
    const found = this.series
      .filter((s) => s.program_track_id === trackId && s.kind === 'group' && s.active)
      .sort(bySlot)
      .map((s) => ({ ...s, seated: this.count(s.id, 'seated'), waiting: this.count(s.id, 'waitlisted') }));
    return Promise.resolve(found);
  }

  lockFacilitatorSlots(_manager: EntityManager, staffId: string): Promise<BusySlot[]> {
    return Promise.resolve(
      this.series
        .filter((s) => s.facilitator_id === staffId && s.active)
        .map((s) => ({ weekday: s.weekday, start_time: s.start_time, minutes: s.minutes })),
    );
  }

  insertIndividualSeries(_manager: EntityManager, s: NewIndividualSeries): Promise<void> {
    this.series.push({
      id: s.id,
      site_id: s.siteId,
      program_track_id: s.programTrackId,
      kind: 'individual',
      session_type: s.sessionType,
      weekday: s.weekday,
      start_time: s.start,
      minutes: s.minutes,
      facilitator_id: s.facilitatorId,
      room: null,
      video_link: null,
      modality: s.modality as SeriesRow['modality'],
      capacity: 1,
      starts_on: s.startsOn,
      generated_until: null,
      active: true,
    });
    return Promise.resolve();
  }

  addMemberships(
    _manager: EntityManager,
    enrollment: EnrollmentRow,
    places: { readonly seats: readonly string[]; readonly waits: readonly string[] },
    now: Date,
  ): Promise<void> {
    const member = {
      enrollment_id: enrollment.id,
      client_id: enrollment.client_id,
      episode_id: enrollment.episode_id,
    };
    for (const seriesId of places.seats)
      this.memberships.push({
        ...member,
        id: randomUUID(),
        series_id: seriesId,
        status: 'seated',
        position: null,
        joined_on: enrollment.starts_on,
        waitlisted_at: null,
      });
    for (const seriesId of places.waits) {
      const last = Math.max(
        0,
        ...this.memberships.filter((m) => m.series_id === seriesId).map((m) => m.position ?? 0),
      );
      this.memberships.push({
        ...member,
        id: randomUUID(),
        series_id: seriesId,
        status: 'waitlisted',
        position: last + 1,
        joined_on: null,
        waitlisted_at: now.toISOString(),
      });
    }
    return Promise.resolve();
  }

  leaveAll(_manager: EntityManager, enrollmentId: string): Promise<LeftMembership[]> {
    const left: LeftMembership[] = [];
    for (const m of this.memberships) {
      if (m.enrollment_id !== enrollmentId || m.status === 'left') continue;
      const kind = this.series.find((s) => s.id === m.series_id)?.kind ?? 'group';
      left.push({ series_id: m.series_id, kind, was: m.status });
      m.status = 'left';
    }
    return Promise.resolve(left);
  }

  retireSeries(_manager: EntityManager, seriesIds: readonly string[], from: Date): Promise<void> {
    for (const s of this.series) if (seriesIds.includes(s.id)) s.active = false;
    this.retired.push(...seriesIds.map((seriesId) => ({ seriesId, from: from.toISOString() })));
    return Promise.resolve();
  }

  cancelAppointments(
    _manager: EntityManager,
    scope: AppointmentScope,
    reason: CancellationReason,
  ): Promise<CancelledAppointment[]> {
    const cancelled = this.appointments.filter(
      (a) =>
        a.episode_id === scope.episodeId &&
        a.status === 'scheduled' &&
        a.starts_at >= scope.from &&
        (scope.seriesId === undefined || a.series_id === scope.seriesId),
    );
    for (const a of cancelled) {
      a.status = 'cancelled';
      a.cancel_reason = reason;
    }
    return Promise.resolve(
      cancelled.map((a) => ({
        id: a.id,
        client_id: a.client_id,
        episode_id: a.episode_id,
        site_id: a.site_id,
      })),
    );
  }

  lockSeats(
    _manager: EntityManager,
    seriesId: string,
  ): Promise<{ capacity: number; seated: number } | undefined> {
    const series = this.series.find((s) => s.id === seriesId && s.active);
    return Promise.resolve(series && { capacity: series.capacity, seated: this.count(seriesId, 'seated') });
  }

  seatFromWaitlist(
    _manager: EntityManager,
    seriesId: string,
    seats: number,
    today: string,
  ): Promise<string[]> {
    const promoted = this.memberships
      .filter((m) => m.series_id === seriesId && m.status === 'waitlisted')
      .sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
      .slice(0, seats);
    for (const m of promoted) {
      const startsOn = this.rows.find((r) => r.id === m.enrollment_id)?.starts_on ?? today;
      m.status = 'seated';
      m.joined_on = startsOn > today ? startsOn : today;
    }
    return Promise.resolve(promoted.map((m) => m.enrollment_id));
  }

  asRepository(): EnrollmentRepository {
    return this as unknown as EnrollmentRepository;
  }

  private count(seriesId: string, status: StoredMembership['status']): number {
    return this.memberships.filter((m) => m.series_id === seriesId && m.status === status).length;
  }

  private replace(id: string, change: Partial<EnrollmentRow & { ended_at: string }>): void {
    const index = this.rows.findIndex((r) => r.id === id);
    const row = this.rows[index];
    if (row !== undefined) this.rows[index] = { ...row, ...change };
  }
}
