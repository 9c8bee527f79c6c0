import { Ctx, Payload } from '@nestjs/microservices';
import { type EventPayload } from '@stepwise/contracts';
import { EventsController, type InboxContext, OnEvent } from '@stepwise/messaging';
import { T } from '../delivery/notification-store';

/**
 * The reference data notifications consumes: sites (time zones for quiet hours) and staff. Upserts that keep
 * the newest version, so a record replayed or arriving late changes nothing.
 */
@EventsController()
export class ReferenceDataEvents {
  @OnEvent('SiteUpserted')
  async site(
    @Payload() p: EventPayload<'SiteUpserted'>,
    @Ctx() { tx }: InboxContext<'SiteUpserted'>,
  ): Promise<void> {
    await tx.manager.query(
      `INSERT INTO ${T('sites')} (site_id, network_id, time_zone, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (site_id) DO UPDATE SET network_id = $2, time_zone = $3, updated_at = $4
        WHERE sites.updated_at <= EXCLUDED.updated_at`,
      [p.siteId, p.networkId, p.timeZone, new Date(p.updatedAt)],
    );
  }

  @OnEvent('StaffMemberUpserted')
  async staff(
    @Payload() p: EventPayload<'StaffMemberUpserted'>,
    @Ctx() { tx }: InboxContext<'StaffMemberUpserted'>,
  ): Promise<void> {
    await tx.manager.query(
      `INSERT INTO ${T('staff')} (staff_id, network_id, site_ids, roles, active, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (staff_id) DO UPDATE SET network_id = $2, site_ids = $3, roles = $4, active = $5, updated_at = $6
        WHERE staff.updated_at <= EXCLUDED.updated_at`,
      [p.staffId, p.networkId, p.siteIds, p.roles, p.active, new Date(p.updatedAt)],
    );
  }
}
