import { Ctx, Payload } from '@nestjs/microservices';
import { type EventPayload } from '@stepwise/contracts';
import { EventsController, type InboxContext, OnEvent } from '@stepwise/messaging';
import { ReferenceProjection } from '../reference/reference-projection';

/**
 * The reference data intake consumes (group `stepwise-intake`, from the earliest offset, so a new replica
 * rebuilds the reference projection from the compacted topic). Each handler runs in the inbox transaction:
 * applied once.
 */
@EventsController()
export class ReferenceDataEvents {
  constructor(private readonly reference: ReferenceProjection) {}

  @OnEvent('SiteUpserted')
  site(
    @Payload() site: EventPayload<'SiteUpserted'>,
    @Ctx() { tx }: InboxContext<'SiteUpserted'>,
  ): Promise<void> {
    return this.reference.applySite(site, tx.manager);
  }

  @OnEvent('ProgramTrackUpserted')
  track(
    @Payload() track: EventPayload<'ProgramTrackUpserted'>,
    @Ctx() { tx }: InboxContext<'ProgramTrackUpserted'>,
  ): Promise<void> {
    return this.reference.applyTrack(track, tx.manager);
  }
}
