import { Injectable } from '@nestjs/common';
import { type CareEvent, Topics } from '@stepwise/contracts';
import { type ConsumerHandlers, type EventHandlerSet } from '@stepwise/messaging';
import { EvaluateEpisode, lockEpisodes } from '../progress/evaluate-episode';
import { ProjectionsRepository } from './projections.repository';

type Consumed =
  | 'SiteUpserted'
  | 'ProgramTrackUpserted'
  | 'ClientAdmitted'
  | 'LevelOfCareChanged'
  | 'ClientDischarged'
  | 'TreatmentPlanSigned'
  | 'TreatmentPlanReviewed'
  | 'AssessmentCompleted'
  | 'ClientEnrolled'
  | 'AppointmentScheduled'
  | 'AppointmentRescheduled'
  | 'AppointmentCancelled';

/**
 * What sessions consumes: reference data (site time zones, tracks), intake's episode facts and scheduling's
 * appointments. Each handler runs in the inbox transaction; facts that feed the progress rules re-evaluate
 * the episode in the same transaction, so a derived event commits exactly when the fact does.
 */
@Injectable()
export class SessionsEventHandlers implements EventHandlerSet<Consumed> {
  readonly topics = [Topics.SchedulingReference, Topics.SchedulingEvents, Topics.IntakeEvents];

  readonly handlers: ConsumerHandlers<Consumed> = {
    SiteUpserted: (e, tx) => this.projections.upsertSite(tx.manager, e.data),
    ProgramTrackUpserted: (e, tx) => this.projections.upsertTrack(tx.manager, e.data),
    ClientAdmitted: async (e, tx) => {
      await lockEpisodes(tx, [e.data.episodeId]);
      await this.projections.admit(tx.manager, e.data);
      await this.evaluate.run(tx, e.data.episodeId);
    },
    LevelOfCareChanged: async (e, tx) => {
      await lockEpisodes(tx, [e.data.episodeId]);
      await this.projections.changeLevel(tx.manager, e.data);
      await this.evaluate.run(tx, e.data.episodeId);
    },
    ClientDischarged: async (e, tx) => {
      await lockEpisodes(tx, [e.data.episodeId]);
      await this.projections.discharge(tx.manager, e.data);
      await this.evaluate.run(tx, e.data.episodeId);
    },
    TreatmentPlanSigned: (e, tx) => this.projections.planSigned(tx.manager, e.data),
    TreatmentPlanReviewed: async (e, tx) => {
      await lockEpisodes(tx, [e.data.episodeId]);
      await this.projections.planReviewed(tx.manager, e.data);
      await this.evaluate.run(tx, e.data.episodeId);
    },
    AssessmentCompleted: async (e, tx) => {
      const episodes =
        e.data.episodeId === undefined
          ? await this.projections.openEpisodesOf(tx.manager, e.data.clientId)
          : [e.data.episodeId];
      await lockEpisodes(tx, episodes);
      await this.projections.assessed(tx.manager, e.data);
      for (const episodeId of episodes) await this.evaluate.run(tx, episodeId);
    },
    ClientEnrolled: (e, tx) => this.projections.enroll(tx.manager, e.data),
    AppointmentScheduled: (e, tx) => this.projections.schedule(tx.manager, e.data),
    AppointmentRescheduled: async (e, tx) =>
      this.requireKnown(e, await this.projections.reschedule(tx.manager, e.data)),
    AppointmentCancelled: async (e, tx) =>
      this.requireKnown(e, await this.projections.cancel(tx.manager, e.data)),
  };

  constructor(
    private readonly projections: ProjectionsRepository,
    private readonly evaluate: EvaluateEpisode,
  ) {}

  /**
   * Scheduling publishes a client's facts in order on one partition, so a change to an unknown appointment
   * is a broken stream, not a race: fail it (retries, then the dead-letter topic) rather than drop it.
   */
  private requireKnown(
    event: CareEvent<'AppointmentRescheduled' | 'AppointmentCancelled'>,
    known: boolean,
  ): void {
    if (!known) throw new Error(`${event.type} for an appointment sessions never saw scheduled`);
  }
}
