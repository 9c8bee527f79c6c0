import { Injectable } from '@nestjs/common';
import { type Actor, AuditTrail, type Page } from '@stepwise/security';
import { type ReviewListQuery, type ReviewView } from './review.dto';
import { reviewView } from './review-view';
import { ReviewsRepository } from './reviews.repository';

/**
 * A site's clinician queue of reviews, optionally of one status; audited. The site of the path is checked by
 * the route's permission (`RequirePermission` with the site parameter), the access check of this request.
 */
@Injectable()
export class ListReviews {
  constructor(
    private readonly reviews: ReviewsRepository,
    private readonly audit: AuditTrail,
  ) {}

  async execute(actor: Actor, siteId: string, query: ReviewListQuery): Promise<Page<ReviewView>> {
    const page = await this.reviews.page(siteId, query, reviewView);
    await this.audit.record(actor, { action: 'list', resourceType: 'review', siteId, outcome: 'allowed' });
    return page;
  }
}
