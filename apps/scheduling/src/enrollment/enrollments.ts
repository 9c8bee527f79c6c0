import { randomUUID } from 'node:crypto';
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
import { table } from '../scheduling.schema';
import { CURRENT_HORIZON } from '../schedule/horizon-policy';
import { ScheduleGenerator } from '../schedule/schedule-generator';
import { ENROLLMENT_COLUMNS, type EnrollmentRow, type SiteRow } from '../schedule/schedule.rows';
import { type WeeklyPatternSlot } from './individual-slot';
import { Seating } from './seating';

/** A permanent failure of an event: it cannot be applied however often it is retried (dead-lettered). */
export class SchedulingEventRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchedulingEventRejected';
  }
}

interface TrackRow {
  id: string;
  site_id: string;
  modality: string;
  weekly_pattern: WeeklyPatternSlot[];
  active: boolean;
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
    private readonly clock: Clock,
  ) {}

  async admit(event: CareEvent<'ClientAdmitted'>, tx: Transaction): Promise<void> {
    const data = event.data;
    await tx.lockKey(`scheduling:episode:${data.episodeId}`);
    const [existing] = await tx.manager.query<{ id: string }[]>(
      `SELECT id FROM ${table('enrollments')} WHERE episode_id = $1 LIMIT 1`,
      [data.episodeId],
    );
    if (existing !== undefined) return;
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
    const current = await this.activeEnrollment(tx, data.episodeId);
    if (current === undefined) return;
    const now = this.clock.now();
    if (data.newProgramTrackId === undefined || data.newProgramTrackId === current.program_track_id) {
      await tx.manager.query(`UPDATE ${table('enrollments')} SET level_of_care = $2 WHERE id = $1`, [
        current.id,
        data.toLevel,
      ]);
      return;
    }
    const effective = new Date(Math.max(new Date(data.effectiveAt).getTime(), now.getTime()));
    const site = await this.site(tx, current.site_id);
    const cause = causeOf(event);
    await tx.manager.query(
      `UPDATE ${table('enrollments')} SET status = 'moved', ended_at = $2 WHERE id = $1`,
      [current.id, effective.toISOString()],
    );
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
    const current = await this.activeEnrollment(tx, data.episodeId);
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
    await tx.manager.query(
      `UPDATE ${table('enrollments')} SET status = 'discharged', ended_at = $2 WHERE id = $1`,
      [current.id, from.toISOString()],
    );
    const site = await this.site(tx, current.site_id);
    await this.seating.leave(tx, site, current, from, CancellationReason.ClientDischarged, now, cause);
  }

  private async enroll(tx: Transaction, spec: NewEnrollment, cause: EventCause): Promise<void> {
    const [track] = await tx.manager.query<TrackRow[]>(
      `SELECT id, site_id, modality, weekly_pattern, active FROM ${table('program_tracks')} WHERE id = $1`,
      [spec.programTrackId],
    );
    if (track === undefined || !track.active) {
      throw new SchedulingEventRejected('The program track is unknown or inactive');
    }
    const site = await this.site(tx, track.site_id);
    const now = this.clock.now();
    const startsOn = localDateOf(spec.startsAt, site.time_zone);
    const [enrollment] = await tx.manager.query<EnrollmentRow[]>(
      `INSERT INTO ${table('enrollments')}
         (id, episode_id, client_id, site_id, program_track_id, level_of_care, population, primary_counselor_id,
          starts_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${ENROLLMENT_COLUMNS}`,
      [
        randomUUID(),
        spec.episodeId,
        spec.clientId,
        site.id,
        track.id,
        spec.levelOfCare,
        spec.population,
        spec.primaryCounselorId,
        startsOn,
      ],
    );
    if (enrollment === undefined) throw new Error('enrollment insert returned nothing');
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

  private async activeEnrollment(tx: Transaction, episodeId: string): Promise<EnrollmentRow | undefined> {
    const [row] = await tx.manager.query<EnrollmentRow[]>(
      `SELECT ${ENROLLMENT_COLUMNS} FROM ${table('enrollments')} WHERE episode_id = $1 AND status = 'active' FOR UPDATE`,
      [episodeId],
    );
    return row;
  }

  private async site(tx: Transaction, siteId: string): Promise<SiteRow> {
    const site = await this.generator.loadSite(tx, siteId);
    if (site === undefined) throw new SchedulingEventRejected('The site is unknown to scheduling');
    return site;
  }
}
