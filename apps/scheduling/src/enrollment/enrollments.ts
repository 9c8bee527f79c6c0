import { Injectable } from '@nestjs/common';
import {
  CancellationReason,
  type CareEvent,
  type EventCause,
  LevelOfCareChangeKind,
  type LevelOfCare,
  type Population,
} from '@stepwise/contracts';
import { type Transaction, pendingEvent } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { addDays, localDateOf, type LocalDate } from '@stepwise/care-rules';
import { CURRENT_HORIZON } from '../schedule/horizon-policy';
import { ScheduleGenerator } from '../schedule/schedule-generator';
import { type SiteRow } from '../schedule/schedule.rows';
import { EnrollmentRepository } from './enrollment.repository';
import { Seating } from './seating';

/** A permanent failure of an event: it cannot be applied however often it is retried (dead-lettered). */
export class SchedulingEventRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchedulingEventRejected';
  }
}

interface NewEnrollment {
  readonly episodeId: string;
  readonly clientId: string;
  readonly programTrackId: string;
  readonly levelOfCare: LevelOfCare;
  readonly population: Population;
  readonly primaryCounselorId: string;
  readonly startsAt: Date;
}

const causeOf = (event: CareEvent): EventCause => ({ id: event.id, correlationId: event.correlationId });

/**
 * Rolling admission and what follows it: enroll a client in a track from the admission date (joining the
 * ongoing series of any week, or waiting for a seat), move them when their level of care changes to another
 * track, and release everything when they are discharged. Each runs inside the consumer's inbox transaction
 * and is idempotent in effect on top of the inbox: one active enrollment per episode.
 */
@Injectable()
export class Enrollments {
  constructor(
    private readonly generator: ScheduleGenerator,
    private readonly seating: Seating,
    private readonly repository: EnrollmentRepository,
    private readonly clock: Clock,
  ) {}

  async admit(event: CareEvent<'ClientAdmitted'>, tx: Transaction): Promise<void> {
    const data = event.data;
    await tx.lockKey(`scheduling:episode:${data.episodeId}`);
    if (await this.repository.hasEnrollment(tx.manager, data.episodeId)) return;
    await this.enroll(
      tx,
      {
        episodeId: data.episodeId,
        clientId: data.clientId,
        programTrackId: data.programTrackId,
        levelOfCare: data.levelOfCare,
        population: data.population,
        primaryCounselorId: data.primaryCounselorId,
        startsAt: new Date(data.admittedAt),
      },
      causeOf(event),
    );
  }

  async changeLevel(event: CareEvent<'LevelOfCareChanged'>, tx: Transaction): Promise<void> {
    const data = event.data;
    if (data.kind !== LevelOfCareChangeKind.Clinical) return;
    await tx.lockKey(`scheduling:episode:${data.episodeId}`);
    const current = await this.repository.lockActive(tx.manager, data.episodeId);
    if (current === undefined) return;
    const now = this.clock.now();
    if (data.newProgramTrackId === undefined || data.newProgramTrackId === current.program_track_id) {
      await this.repository.setLevel(tx.manager, current.id, data.toLevel);
      return;
    }
    const effective = new Date(Math.max(new Date(data.effectiveAt).getTime(), now.getTime()));
    const site = await this.site(tx, current.site_id);
    const cause = causeOf(event);
    await this.repository.end(tx.manager, current.id, 'moved', effective);
    await this.seating.leave(tx, site, current, effective, CancellationReason.LevelOfCareChanged, now, cause);
    await this.enroll(
      tx,
      {
        episodeId: current.episode_id,
        clientId: current.client_id,
        programTrackId: data.newProgramTrackId,
        levelOfCare: data.toLevel,
        population: current.population,
        primaryCounselorId: current.primary_counselor_id,
        startsAt: effective,
      },
      cause,
    );
  }

  async discharge(event: CareEvent<'ClientDischarged'>, tx: Transaction): Promise<void> {
    const data = event.data;
    await tx.lockKey(`scheduling:episode:${data.episodeId}`);
    const current = await this.repository.lockActive(tx.manager, data.episodeId);
    const now = this.clock.now();
    const from = new Date(Math.max(new Date(data.dischargedAt).getTime(), now.getTime()));
    const cause = causeOf(event);
    if (current === undefined) {
      // Appointments booked by hand (individual, family) may exist without an enrollment.
      await this.seating.cancelAppointments(
        tx,
        { episodeId: data.episodeId, from },
        CancellationReason.ClientDischarged,
        now,
        cause,
      );
      return;
    }
    await this.repository.end(tx.manager, current.id, 'discharged', from);
    const site = await this.site(tx, current.site_id);
    await this.seating.leave(tx, site, current, from, CancellationReason.ClientDischarged, now, cause);
  }

  private async enroll(tx: Transaction, spec: NewEnrollment, cause: EventCause): Promise<void> {
    const track = await this.repository.track(tx.manager, spec.programTrackId);
    if (track === undefined || !track.active) {
      throw new SchedulingEventRejected('The program track is unknown or inactive');
    }
    const site = await this.site(tx, track.site_id);
    const now = this.clock.now();
    const startsOn = localDateOf(spec.startsAt, site.time_zone);
    const enrollment = await this.repository.insert(tx.manager, {
      ...spec,
      siteId: site.id,
      programTrackId: track.id,
      startsOn,
    });
    const seating = await this.seating.seat(
      tx,
      site,
      enrollment,
      track.weekly_pattern,
      track.modality,
      now,
      cause,
    );
    // A client admitted ahead of time gets their first four weeks at once; the daily job keeps them going.
    const today = localDateOf(now, site.time_zone);
    const until = addDays(startsOn > today ? startsOn : today, CURRENT_HORIZON.days);
    // A backdated admission (recorded after the client started) gets the sessions they had since.
    const backdated = startsOn < today;
    await this.generator.extendOccurrences(tx, site, now, until, undefined, backdated ? startsOn : undefined);
    await tx.publishAll([
      pendingEvent(
        'ClientEnrolled',
        {
          enrollmentId: enrollment.id,
          clientId: enrollment.client_id,
          episodeId: enrollment.episode_id,
          siteId: site.id,
          programTrackId: track.id,
          startsOn,
          plannedWeeklyMinutes: seating.seatedMinutes,
        },
        { causedBy: cause },
      ),
      ...seating.events,
    ]);
    await this.generator.fillSeats(
      tx,
      site.id,
      now,
      { enrollmentIds: [enrollment.id], includePast: backdated },
      cause,
    );
    const from: LocalDate = startsOn > today ? startsOn : today;
    await this.generator.checkLevelMinimums(tx, site, { from, until }, [enrollment.id], cause);
  }

  private async site(tx: Transaction, siteId: string): Promise<SiteRow> {
    const site = await this.generator.loadSite(tx, siteId);
    if (site === undefined) throw new SchedulingEventRejected('The site is unknown to scheduling');
    return site;
  }
}
