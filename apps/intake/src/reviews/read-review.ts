import { Injectable } from '@nestjs/common';
import { type Actor, ScopedRecords } from '@stepwise/security';
import { type ReviewView } from './review.dto';
import { reviewView } from './review-view';
import { REVIEW } from './reviews.repository';

/** Shows one review; the read is audited. */
@Injectable()
export class ReadReview {
  constructor(private readonly records: ScopedRecords) {}

  async execute(actor: Actor, id: string): Promise<ReviewView> {
    return reviewView(await this.records.read(actor, REVIEW, id));
  }
}
