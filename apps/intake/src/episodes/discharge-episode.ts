import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { type Actor, ProblemException, ScopedRecords } from '@stepwise/security';
import { type DischargeDto, type EpisodeView } from './episode.dto';
import { episodeView } from './episode-view';
import { EPISODE, EpisodesRepository } from './episodes.repository';
import { ProgramCounters } from './program-counters';

/** Ends an active episode (declining its open reviews); publishes ClientDischarged. */
@Injectable()
export class DischargeEpisode {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly episodes: EpisodesRepository,
    private readonly counters: ProgramCounters,
  ) {}

  async execute(actor: Actor, id: string, body: DischargeDto): Promise<EpisodeView> {
    return this.unitOfWork.run(async (tx) => {
      const episode = await this.records.load(actor, EPISODE, id, 'discharge', tx.manager);
      if (episode.status !== 'active') {
        throw new ProblemException('invalid-transition', { detail: 'The episode is already discharged' });
      }
      const dischargedAt = new Date(body.dischargedAt);
      if (dischargedAt < episode.admitted_at) {
        throw new ProblemException('unprocessable', {
          errors: [{ field: 'dischargedAt', problems: ['dischargedAt must not be before the admission'] }],
        });
      }
      await this.episodes.discharge(tx.manager, id, {
        dischargedAt,
        reason: body.reason,
        referredTo: body.referredTo,
      });
      await this.episodes.declineOpenReviews(tx.manager, id, dischargedAt);
      await tx.publish('ClientDischarged', {
        episodeId: id,
        clientId: episode.client_id,
        siteId: episode.site_id,
        dischargedAt: dischargedAt.toISOString(),
        reason: body.reason,
        referredTo: body.referredTo,
      });
      const changed = episodeView(await this.episodes.find(id, tx.manager));
      await this.records.audited(actor, 'discharge', EPISODE, changed, tx.manager);
      // Open reviews the discharge declined are no clinician's decision: not counted as decisions.
      this.counters.discharged(tx, {
        site: episode.site_id,
        level: episode.clinical_level,
        reason: body.reason,
      });
      return changed;
    });
  }
}
