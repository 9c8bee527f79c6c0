import { Injectable } from '@nestjs/common';
import { RecommendationDirection } from '@stepwise/contracts';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, refOf, ScopedRecords } from '@stepwise/security';
import { ProgramCounters } from '../episodes/program-counters';
import { staffIdOf } from '../shared/staff';
import { type DeclineReviewDto, type ReviewView } from './review.dto';
import { loadDecidable } from './decidable-review';
import { reviewView } from './review-view';
import { REVIEW, ReviewsRepository } from './reviews.repository';

/**
 * Declines a recommendation with a reason; the episode stays at its level. The decline is published so the
 * progress rules (sessions) know the recommendation is settled and make the next one on newer evidence.
 */
@Injectable()
export class DeclineReview {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly reviews: ReviewsRepository,
    private readonly clock: Clock,
    private readonly counters: ProgramCounters,
  ) {}

  async execute(actor: Actor, id: string, body: DeclineReviewDto): Promise<ReviewView> {
    const decidedBy = staffIdOf(actor);
    return this.unitOfWork.run(async (tx) => {
      await loadDecidable(this.records, actor, id, 'decline', tx.manager);
      const row = await this.reviews.decline(tx.manager, id, {
        decidedBy,
        decidedAt: this.clock.now(),
        reason: body.reasonCode,
      });
      // A declined recommendation is published so sessions recommends that move again only on newer evidence;
      // a length-of-stay review recommends no move (declining it means the stay continues): nothing to publish.
      if (row.direction !== 'length-of-stay') {
        await tx.publish('LevelOfCareRecommendationDeclined', {
          recommendationId: row.recommendation_id,
          episodeId: row.episode_id,
          clientId: row.client_id,
          siteId: row.site_id,
          direction:
            row.direction === 'step-down' ? RecommendationDirection.StepDown : RecommendationDirection.StepUp,
          reasonCode: body.reasonCode,
          decidedBy,
          decidedAt: row.decided_at?.toISOString() ?? this.clock.now().toISOString(),
        });
      }
      await this.records.audited(actor, 'decline', REVIEW, refOf(REVIEW, row), tx.manager);
      this.counters.decided(tx, { site: row.site_id, direction: row.direction, decision: 'declined' });
      return reviewView(row);
    });
  }
}
