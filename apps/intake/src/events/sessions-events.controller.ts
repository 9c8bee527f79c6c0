import { Ctx } from '@nestjs/microservices';
import { EventsController, type InboxContext, OnEvent } from '@stepwise/messaging';
import { OpenReview } from '../reviews/open-review';

/**
 * What intake consumes from sessions: level-of-care recommendations and expected lengths of stay reached,
 * each opening a review in the inbox transaction (applied once).
 */
@EventsController()
export class SessionsEvents {
  constructor(private readonly reviews: OpenReview) {}

  @OnEvent('StepDownRecommended')
  stepDown(@Ctx() { event, tx }: InboxContext<'StepDownRecommended'>): Promise<void> {
    return this.reviews.open(event, tx);
  }

  @OnEvent('StepUpRecommended')
  stepUp(@Ctx() { event, tx }: InboxContext<'StepUpRecommended'>): Promise<void> {
    return this.reviews.open(event, tx);
  }

  @OnEvent('ExpectedStayReached')
  stayReached(@Ctx() { event, tx }: InboxContext<'ExpectedStayReached'>): Promise<void> {
    return this.reviews.openStay(event, tx);
  }
}
