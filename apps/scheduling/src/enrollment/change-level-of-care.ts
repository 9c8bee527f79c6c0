import { Injectable } from '@nestjs/common';
import {
  CancellationReason,
  type CareEvent,
  type LevelOfCare,
  LevelOfCareChangeKind,
} from '@stepwise/contracts';
import { type Transaction } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { ScheduleGenerator } from '../schedule/schedule-generator';
import { EnrollClient } from './enroll-client';
import { EnrollmentRepository } from './enrollment.repository';
import { causeOf, knownSite, lockEpisode } from './intake-facts';
import { Seating } from './seating';

/** Where an episode goes: the level and, when it changes, the track (which may be at another site). */
interface Move {
  readonly episodeId: string;
  readonly toLevel: LevelOfCare;
  readonly newProgramTrackId?: string | undefined;
  readonly effectiveAt: string;
}

/**
 * A clinical level-of-care change (LevelOfCareChanged) or a transfer to another site of the network
 * (ClientTransferred): records the new level, and when it comes with another track moves the client there from
 * the change (never the past), releasing the old track's seats and appointments. A transfer is the same move,
 * to a track at another site (the enrollment takes the new track's site). A change only authorised by the
 * payer changes nothing here.
 */
@Injectable()
export class ChangeLevelOfCare {
  constructor(
    private readonly enrollClient: EnrollClient,
    private readonly generator: ScheduleGenerator,
    private readonly seating: Seating,
    private readonly repository: EnrollmentRepository,
    private readonly clock: Clock,
  ) {}

  async execute(event: CareEvent<'LevelOfCareChanged'>, tx: Transaction): Promise<void> {
    const data = event.data;
    if (data.kind !== LevelOfCareChangeKind.Clinical) return;
    await this.move(tx, event, data);
  }

  /** A transfer moves the client as a clinical change to the new site's track does. */
  async transfer(event: CareEvent<'ClientTransferred'>, tx: Transaction): Promise<void> {
    const data = event.data;
    await this.move(tx, event, {
      episodeId: data.episodeId,
      toLevel: data.levelOfCare,
      newProgramTrackId: data.newProgramTrackId,
      effectiveAt: data.effectiveAt,
    });
  }

  private async move(tx: Transaction, event: CareEvent, data: Move): Promise<void> {
    await lockEpisode(tx, data.episodeId);
    const current = await this.repository.lockActive(tx.manager, data.episodeId);
    if (current === undefined) return;
    const now = this.clock.now();
    if (data.newProgramTrackId === undefined || data.newProgramTrackId === current.program_track_id) {
      await this.repository.setLevel(tx.manager, current.id, data.toLevel);
      return;
    }
    const effective = new Date(Math.max(new Date(data.effectiveAt).getTime(), now.getTime()));
    const site = await knownSite(this.generator, tx, current.site_id);
    const cause = causeOf(event);
    await this.repository.end(tx.manager, current.id, 'moved', effective);
    await this.seating.leave(tx, site, current, effective, CancellationReason.LevelOfCareChanged, now, cause);
    await this.enrollClient.enroll(
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
}
