import { Injectable } from '@nestjs/common';
import { type Actor, AuditTrail, ProblemException } from '@stepwise/security';
import { ReferenceRepository } from './reference.repository';
import { type StaffContactView } from './reference.views';

/**
 * The contact of a staff member on one channel, for the notifications service (the route admits service
 * principals only, across the network). Every lookup is audited, found or not; an inactive member or a
 * missing address answers 404.
 */
@Injectable()
export class GetStaffContact {
  constructor(
    private readonly repository: ReferenceRepository,
    private readonly audit: AuditTrail,
  ) {}

  async execute(actor: Actor, staffId: string, channel: 'sms' | 'email'): Promise<StaffContactView> {
    const row = await this.repository.staff(staffId);
    const address = channel === 'email' ? row?.email : row?.phone;
    const found = row !== undefined && row.active && address !== null && address !== undefined;
    await this.audit.record(actor, {
      action: 'read',
      resourceType: 'staff-contact',
      resourceId: staffId,
      ...(row?.site_ids[0] === undefined ? {} : { siteId: row.site_ids[0] }),
      ...(row === undefined ? {} : { networkId: row.network_id }),
      outcome: found ? 'allowed' : 'denied',
    });
    if (!found || address === null || address === undefined) {
      throw new ProblemException('not-found', { detail: `No ${channel} contact for this staff member` });
    }
    return {
      channel,
      address,
      timeZone: row.time_zone,
      preferredLanguage: row.preferred_language,
      displayName: row.display_name,
    };
  }
}
