import { Injectable } from '@nestjs/common';
import { Topics } from '@stepwise/contracts';
import { type ConsumerHandlers, type EventHandlerSet } from '@stepwise/messaging';
import { ReviewsService } from '../reviews/reviews.service';
import { ReferenceProjection } from './reference-projection';

type Handled = 'SiteUpserted' | 'ProgramTrackUpserted' | 'StepDownRecommended' | 'StepUpRecommended';

/**
 * What intake consumes (group `stepwise-intake`, from the earliest offset, so a new replica rebuilds the
 * reference projection from the compacted topic). Each handler runs in the inbox transaction: applied once.
 */
@Injectable()
export class IntakeEventHandlers implements EventHandlerSet<Handled> {
  readonly topics = [Topics.SchedulingReference, Topics.SessionsEvents];

  readonly handlers: ConsumerHandlers<Handled> = {
    SiteUpserted: (event, tx) => this.reference.applySite(event.data, tx.manager),
    ProgramTrackUpserted: (event, tx) => this.reference.applyTrack(event.data, tx.manager),
    StepDownRecommended: (event, tx) => this.reviews.open(event, tx),
    StepUpRecommended: (event, tx) => this.reviews.open(event, tx),
  };

  constructor(
    private readonly reference: ReferenceProjection,
    private readonly reviews: ReviewsService,
  ) {}
}
