import { Ctx, Payload } from '@nestjs/microservices';
import { type EventPayload } from '@stepwise/contracts';
import { EventsController, type InboxContext, OnEvent } from '@stepwise/messaging';
import { ProjectionsRepository } from '../projections/projections.repository';

/**
 * The reference data notifications consumes: sites (time zones for quiet hours) and staff. Upserts that keep
 * the newest version, so a record replayed or arriving late changes nothing.
 */
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

  @OnEvent('StaffMemberUpserted')
  staff(
    @Payload() staff: EventPayload<'StaffMemberUpserted'>,
    @Ctx() { tx }: InboxContext<'StaffMemberUpserted'>,
  ): Promise<void> {
    return this.projections.upsertStaff(tx.manager, staff);
  }
}
