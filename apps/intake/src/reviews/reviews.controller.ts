import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, type Page, ParseIdPipe, RequirePermission } from '@stepwise/security';
import { ApproveReviewDto, DeclineReviewDto, ReviewListQuery, ReviewView } from './review.dto';
import { ApproveReview } from './approve-review';
import { DeclineReview } from './decline-review';
import { ListReviews } from './list-reviews';
import { ReadReview } from './read-review';

@ApiTags('level-of-care reviews')
@Controller()
export class ReviewsController {
  constructor(
    private readonly listReviews: ListReviews,
    private readonly readReview: ReadReview,
    private readonly approveReview: ApproveReview,
    private readonly declineReview: DeclineReview,
  ) {}

  @Get('sites/:siteId/reviews')
  @RequirePermission('reviews:read', { site: { param: 'siteId' } })
  @ApiOkResponse({ description: "The site's review queue (filter status=open), oldest first" })
  list(
    @CurrentActor() actor: Actor,
    @Param('siteId', ParseIdPipe) siteId: string,
    @Query() query: ReviewListQuery,
  ): Promise<Page<ReviewView>> {
    return this.listReviews.execute(actor, siteId, query);
  }

  @Get('reviews/:reviewId')
  @RequirePermission('reviews:read')
  @ApiOkResponse({ type: ReviewView })
  read(@CurrentActor() actor: Actor, @Param('reviewId', ParseIdPipe) id: string): Promise<ReviewView> {
    return this.readReview.execute(actor, id);
  }

  @Post('reviews/:reviewId/approve')
  @HttpCode(200)
  @RequirePermission('reviews:approve')
  @ApiOkResponse({
    type: ReviewView,
    description: 'Changes the clinical level and track; publishes LevelOfCareChanged',
  })
  approve(
    @CurrentActor() actor: Actor,
    @Param('reviewId', ParseIdPipe) id: string,
    @Body() body: ApproveReviewDto,
  ): Promise<ReviewView> {
    return this.approveReview.execute(actor, id, body);
  }

  @Post('reviews/:reviewId/decline')
  @HttpCode(200)
  @RequirePermission('reviews:approve')
  @ApiOkResponse({ type: ReviewView, description: 'Records why; nothing changes and nothing is published' })
  decline(
    @CurrentActor() actor: Actor,
    @Param('reviewId', ParseIdPipe) id: string,
    @Body() body: DeclineReviewDto,
  ): Promise<ReviewView> {
    return this.declineReview.execute(actor, id, body);
  }
}
