import { Injectable } from '@nestjs/common';
import { LevelOfCareChangeReason } from '@stepwise/contracts';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, ProblemException, refOf, ScopedRecords } from '@stepwise/security';
import { ChangeClinicalLevel } from '../episodes/change-clinical-level';
import { assertProgramTrack } from '../episodes/episode-reference';
import { EPISODE } from '../episodes/episodes.repository';
import { ProgramCounters } from '../episodes/program-counters';
import { ReferenceProjection } from '../reference/reference-projection';
import { staffIdOf } from '../shared/staff';
import { type ApproveReviewDto, type ReviewView } from './review.dto';
import { loadDecidable } from './decidable-review';
import { reviewView } from './review-view';
import { REVIEW, ReviewsRepository } from './reviews.repository';

/** Approves a recommendation with the track to move to: the episode's clinical level changes (and is published). */
@Injectable()
export class ApproveReview {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly reviews: ReviewsRepository,
    private readonly changeClinicalLevel: ChangeClinicalLevel,
    private readonly reference: ReferenceProjection,
    private readonly clock: Clock,
    private readonly counters: ProgramCounters,
  ) {}

  async execute(actor: Actor, id: string, body: ApproveReviewDto): Promise<ReviewView> {
    const decidedBy = staffIdOf(actor);
    return this.unitOfWork.run(async (tx) => {
      const review = await loadDecidable(this.records, actor, id, 'approve', tx.manager);
      if (review.direction === 'length-of-stay') {
        // Nothing to approve: the clinician continues (decline), changes the level or site, or discharges.
        throw new ProblemException('invalid-transition', {
          detail:
            'A length-of-stay review is closed by declining it or by a level change, transfer or discharge',
        });
      }
      const episode = await this.records.load(actor, EPISODE, review.episode_id, 'update', tx.manager);
      if (episode.status !== 'active' || episode.clinical_level !== review.from_level) {
        throw new ProblemException('invalid-transition', {
          detail: 'The episode has ended or its clinical level changed since the recommendation; decline it',
        });
      }
      await assertProgramTrack(
        this.reference,
        tx.manager,
        body.programTrackId,
        episode.site_id,
        episode.population,
        review.to_level,
      );
      const decidedAt = this.clock.now();
      await this.changeClinicalLevel.execute(tx, episode, {
        toLevel: review.to_level,
        programTrackId: body.programTrackId,
        reasonCode:
          review.direction === 'step-down'
            ? LevelOfCareChangeReason.StepDown
            : LevelOfCareChangeReason.StepUp,
        decidedBy,
        effectiveAt: decidedAt,
        recommendationId: review.recommendation_id,
      });
      const row = await this.reviews.approve(tx.manager, id, {
        decidedBy,
        decidedAt,
        programTrackId: body.programTrackId,
      });
      await this.records.audited(actor, 'approve', REVIEW, refOf(REVIEW, row), tx.manager);
      this.counters.decided(tx, { site: row.site_id, direction: row.direction, decision: 'approved' });
      return reviewView(row);
    });
  }
}
