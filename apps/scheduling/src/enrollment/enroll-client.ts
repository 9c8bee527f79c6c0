import { Injectable } from '@nestjs/common';
import { type CareEvent, type EventCause, type LevelOfCare, type Population } from '@stepwise/contracts';
import { type Transaction, pendingEvent } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { addDays, localDateOf, type LocalDate } from '@stepwise/care-rules';
import { CURRENT_HORIZON } from '../schedule/horizon-policy';
import { ScheduleGenerator } from '../schedule/schedule-generator';
import { EnrollmentRepository } from './enrollment.repository';
import { SchedulingEventRejected, causeOf, knownSite, lockEpisode } from './intake-facts';
import { Seating } from './seating';

/** An enrollment to make: who, in which track, at which level, from when. */
export interface NewEnrollment {
  readonly episodeId: string;
  readonly clientId: string;
  readonly programTrackId: string;
  readonly levelOfCare: LevelOfCare;
  readonly population: Population;
  readonly primaryCounselorId: string;
  readonly startsAt: Date;
}

/**
 * Rolling admission (ClientAdmitted): enrolls the client in their track from the admission date, joining the
 * ongoing series of any week or waiting for a seat, with appointments up to the horizon at once. Applied once
 * per episode: one enrollment per admission, however often it is delivered.
 */
@Injectable()
export class EnrollClient {
  constructor(
    private readonly generator: ScheduleGenerator,
    private readonly seating: Seating,
    private readonly repository: EnrollmentRepository,
    private readonly clock: Clock,
  ) {}

  async execute(event: CareEvent<'ClientAdmitted'>, tx: Transaction): Promise<void> {
    const data = event.data;
    await lockEpisode(tx, data.episodeId);
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

  /**
   * Enrolls in a track (an admission, or a move to another track): seats, occurrences and appointments,
   * ClientEnrolled with the seats' waitlist events, and the level check of the weeks planned.
   */
  async enroll(tx: Transaction, spec: NewEnrollment, cause: EventCause): Promise<void> {
    const track = await this.repository.track(tx.manager, spec.programTrackId);
    if (track === undefined || !track.active) {
      throw new SchedulingEventRejected('The program track is unknown or inactive');
    }
    const site = await knownSite(this.generator, tx, track.site_id);
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
}
