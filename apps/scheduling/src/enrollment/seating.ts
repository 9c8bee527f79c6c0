import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type CancellationReason, type EventCause, SessionType as SessionTypes } from '@stepwise/contracts';
import { type PendingEvent, type Transaction, pendingEvent } from '@stepwise/messaging';
import { localDateOf } from '@stepwise/care-rules';
import { ScheduleGenerator } from '../schedule/schedule-generator';
import { type EnrollmentRow, type SeriesRow, type SiteRow } from '../schedule/schedule.rows';
import { type AppointmentScope, EnrollmentRepository } from './enrollment.repository';
import { findIndividualStart, type WeeklyPatternSlot } from './individual-slot';

const causedBy = (cause?: EventCause): { causedBy: EventCause } | undefined =>
  cause === undefined ? undefined : { causedBy: cause };

/** What seating one enrollment into its track produced. */
export interface SeatingResult {
  readonly seatedMinutes: number;
  readonly events: PendingEvent[];
}

/**
 * Seats and waitlists, the steps the enrollment and series use cases share: puts an enrollment into its
 * track's group series (a free seat in one of the series of each weekly slot, otherwise the waitlist of the
 * first), gives it a weekly individual counseling series with the primary counselor, releases seats when a
 * client leaves and promotes the first waiting client into each freed seat.
 */
@Injectable()
export class Seating {
  constructor(
    private readonly repository: EnrollmentRepository,
    private readonly generator: ScheduleGenerator,
  ) {}

  async seat(
    tx: Transaction,
    site: SiteRow,
    enrollment: EnrollmentRow,
    pattern: readonly WeeklyPatternSlot[],
    modality: string,
    now: Date,
    cause?: EventCause,
  ): Promise<SeatingResult> {
    const series = await this.repository.lockTrackSeries(tx.manager, enrollment.program_track_id);
    const bySlot = new Map<string, (typeof series)[number][]>();
    for (const s of series) {
      const slot = `${s.weekday}/${s.start_time}/${s.session_type}`;
      bySlot.set(slot, [...(bySlot.get(slot) ?? []), s]);
    }
    const seats: string[] = [];
    const waits: { series: SeriesRow; position: number }[] = [];
    let seatedMinutes = 0;
    for (const candidates of bySlot.values()) {
      const free = candidates.find((s) => s.seated < s.capacity);
      if (free !== undefined) {
        seats.push(free.id);
        seatedMinutes += free.minutes;
        continue;
      }
      const first = candidates.reduce((a, b) => (b.waiting < a.waiting ? b : a));
      waits.push({ series: first, position: first.waiting + 1 });
    }
    const individual = await this.individualSeries(tx, site, enrollment, pattern, modality, series, seats);
    seats.push(...individual.map((s) => s.id));
    seatedMinutes += individual.reduce((sum, s) => sum + s.minutes, 0);

    await this.repository.addMemberships(
      tx.manager,
      enrollment,
      { seats, waits: waits.map((w) => w.series.id) },
      now,
    );
    const events = waits.map((w) =>
      pendingEvent(
        'ClientWaitlisted',
        {
          clientId: enrollment.client_id,
          episodeId: enrollment.episode_id,
          siteId: site.id,
          programTrackId: enrollment.program_track_id,
          groupSeriesId: w.series.id,
          position: w.position,
          waitlistedAt: now.toISOString(),
        },
        causedBy(cause),
      ),
    );
    return { seatedMinutes, events };
  }

  /**
   * The track's individual counseling slots, as weekly series of their own with the primary counselor, at
   * the first start in the slot's day the counselor and the client both have free.
   */
  private async individualSeries(
    tx: Transaction,
    site: SiteRow,
    enrollment: EnrollmentRow,
    pattern: readonly WeeklyPatternSlot[],
    modality: string,
    groupSeries: readonly SeriesRow[],
    seatedGroupIds: readonly string[],
  ): Promise<{ id: string; minutes: number }[]> {
    const slots = pattern.filter((p) => p.sessionType === SessionTypes.IndividualCounseling);
    if (slots.length === 0) return [];
    const busy = await this.repository.lockFacilitatorSlots(tx.manager, enrollment.primary_counselor_id);
    const own = groupSeries.filter((s) => seatedGroupIds.includes(s.id));
    const created: { id: string; minutes: number }[] = [];
    for (const slot of slots) {
      const start = findIndividualStart(slot, [...busy, ...own]);
      if (start === undefined) continue;
      const id = randomUUID();
      await this.repository.insertIndividualSeries(tx.manager, {
        id,
        siteId: site.id,
        programTrackId: enrollment.program_track_id,
        sessionType: slot.sessionType,
        weekday: slot.weekday,
        start,
        minutes: slot.minutes,
        facilitatorId: enrollment.primary_counselor_id,
        modality,
        startsOn: enrollment.starts_on,
      });
      busy.push({ weekday: slot.weekday, start_time: start, minutes: slot.minutes });
      created.push({ id, minutes: slot.minutes });
    }
    return created;
  }

  /**
   * Ends an enrollment's seats and waits from `at`: cancels its appointments starting then or later
   * (AppointmentCancelled with `reason`), retires its individual series and promotes the first waiting
   * client into each group seat it frees.
   */
  async leave(
    tx: Transaction,
    site: SiteRow,
    enrollment: EnrollmentRow,
    at: Date,
    reason: CancellationReason,
    now: Date,
    cause?: EventCause,
  ): Promise<void> {
    await this.cancelAppointments(tx, { episodeId: enrollment.episode_id, from: at }, reason, now, cause);
    const left = await this.repository.leaveAll(tx.manager, enrollment.id, now);
    const individual = left.filter((l) => l.kind === 'individual').map((l) => l.series_id);
    await this.repository.retireSeries(tx.manager, individual, at);
    const freed = left.filter((l) => l.kind === 'group' && l.was === 'seated').map((l) => l.series_id);
    for (const seriesId of freed) await this.promote(tx, site, seriesId, now, cause);
  }

  /** Cancels the scheduled appointments of an episode from an instant (optionally of some series only). */
  async cancelAppointments(
    tx: Transaction,
    scope: AppointmentScope,
    reason: CancellationReason,
    now: Date,
    cause?: EventCause,
  ): Promise<number> {
    const cancelled = await this.repository.cancelAppointments(tx.manager, scope, reason, now);
    await tx.publishAll(
      cancelled.map((a) =>
        pendingEvent(
          'AppointmentCancelled',
          {
            appointmentId: a.id,
            clientId: a.client_id,
            episodeId: a.episode_id,
            siteId: a.site_id,
            reason,
            cancelledAt: now.toISOString(),
          },
          causedBy(cause),
        ),
      ),
    );
    return cancelled.length;
  }

  /** Fills free seats of a group series from its waitlist, first come first served. */
  async promote(
    tx: Transaction,
    site: SiteRow,
    seriesId: string,
    now: Date,
    cause?: EventCause,
  ): Promise<number> {
    const series = await this.repository.lockSeats(tx.manager, seriesId);
    if (series === undefined || series.seated >= series.capacity) return 0;
    const today = localDateOf(now, site.time_zone);
    const promoted = await this.repository.seatFromWaitlist(
      tx.manager,
      seriesId,
      series.capacity - series.seated,
      today,
    );
    if (promoted.length === 0) return 0;
    await this.generator.fillSeats(
      tx,
      site.id,
      now,
      { enrollmentIds: promoted, seriesIds: [seriesId] },
      cause,
    );
    return promoted.length;
  }
}
