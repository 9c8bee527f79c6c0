import { Ctx, Payload } from '@nestjs/microservices';
import { type EventPayload } from '@stepwise/contracts';
import { EventsController, type InboxContext, OnEvent } from '@stepwise/messaging';
import { ProjectionsRepository } from '../projections/projections.repository';

/** The reference data sessions consumes: site time zones and program tracks, projected in the inbox transaction. */
@EventsController()
export class ReferenceDataEvents {
  constructor(private readonly projections: ProjectionsRepository) {}

  @OnEvent('SiteUpserted')
  site(
    @Payload() site: EventPayload<'SiteUpserted'>,
    @Ctx() { tx }: InboxContext<'SiteUpserted'>,
  ): Promise<void> {
    return this.projections.upsertSite(tx.manager, site);
  }

  @OnEvent('ProgramTrackUpserted')
  track(
    @Payload() track: EventPayload<'ProgramTrackUpserted'>,
    @Ctx() { tx }: InboxContext<'ProgramTrackUpserted'>,
  ): Promise<void> {
    return this.projections.upsertTrack(tx.manager, track);
  }
}
