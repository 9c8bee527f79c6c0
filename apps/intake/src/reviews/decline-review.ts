import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, refOf, ScopedRecords } from '@stepwise/security';
import { ProgramCounters } from '../episodes/program-counters';
import { staffIdOf } from '../shared/staff';
import { type DeclineReviewDto, type ReviewView } from './review.dto';
import { loadDecidable } from './decidable-review';
import { reviewView } from './review-view';
import { REVIEW, ReviewsRepository } from './reviews.repository';

/** Declines a recommendation with a reason; the episode stays at its level. */
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
      await this.records.audited(actor, 'decline', REVIEW, refOf(REVIEW, row), tx.manager);
      this.counters.decided(tx, { site: row.site_id, direction: row.direction, decision: 'declined' });
      return reviewView(row);
    });
  }
}
