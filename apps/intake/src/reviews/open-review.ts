import { Injectable } from '@nestjs/common';
import { type CareEvent } from '@stepwise/contracts';
import { type Transaction } from '@stepwise/messaging';
import { type Recommendation, ReviewsRepository } from './reviews.repository';

/**
 * Opens the review of a step-down or step-up recommendation from sessions in the clinician queue, inside the
 * consumer's inbox transaction; step-down is never automatic. Keyed by the recommendation id, so a
 * recommendation re-published under a new event id still opens one review. An event, not a request: there is
 * no caller whose access to check.
 */
@Injectable()
export class OpenReview {
  constructor(private readonly reviews: ReviewsRepository) {}

  // Named `open` (not `execute`): a review is opened by a recommendation (events/sessions-events.controller.ts).
  async open(event: Recommendation, tx: Transaction): Promise<void> {
    await this.reviews.open(tx.manager, event);
  }

  /** The review due when the episode reached its track's expected length of stay, in the same queue. */
  async openStay(event: CareEvent<'ExpectedStayReached'>, tx: Transaction): Promise<void> {
    await this.reviews.openStay(tx.manager, event);
  }
}
