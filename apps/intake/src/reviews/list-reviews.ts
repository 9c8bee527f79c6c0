import { Injectable } from '@nestjs/common';
import { type Actor, AuditTrail, type Page } from '@stepwise/security';
import { listAtSite } from '../shared/list-at-site';
import { type ReviewListQuery, type ReviewView } from './review.dto';
import { reviewView } from './review-view';
import { REVIEW, ReviewsRepository } from './reviews.repository';

/** A site's clinician queue of reviews, optionally of one status; the listing is audited at the site. */
@Injectable()
export class ListReviews {
  constructor(
    private readonly reviews: ReviewsRepository,
    private readonly audit: AuditTrail,
  ) {}

  execute(actor: Actor, siteId: string, query: ReviewListQuery): Promise<Page<ReviewView>> {
    return listAtSite(this.audit, actor, siteId, REVIEW, () => this.reviews.page(siteId, query, reviewView));
  }
}
