import { Injectable } from '@nestjs/common';
import { type Actor, ProblemException, ScopedRecords, SiteScope } from '@stepwise/security';
import { ReferenceRepository, type StaffRow } from './reference.repository';

/**
 * Access to staff members, who belong to several sites (so no single-site `ScopedRecords.load`): a caller
 * reaches one when it may act at any of its sites; otherwise it is answered, and audited, as `ScopedRecords`
 * answers a record at a foreign site.
 */
@Injectable()
export class StaffAccess {
  constructor(
    private readonly records: ScopedRecords,
    private readonly siteScope: SiteScope,
    private readonly repository: ReferenceRepository,
  ) {}

  async load(actor: Actor, staffId: string, action: string): Promise<StaffRow> {
    const row = await this.repository.staff(staffId);
    if (row === undefined) throw new ProblemException('not-found', { detail: 'No such staff member' });
    const allowed = await Promise.all(
      row.site_ids.map((s) => this.siteScope.allows(actor.principal, s, row.network_id)),
    );
    if (!allowed.some(Boolean)) {
      await this.records.assertSite(
        actor,
        { siteId: row.site_ids[0] ?? staffId, networkId: row.network_id },
        { action, resourceType: 'staff', resourceId: staffId },
      );
    }
    return row;
  }

  /** Every site a staff member is given must exist and be one the caller may act at (404 otherwise). */
  async assertSites(actor: Actor, siteIds: readonly string[], action: string): Promise<void> {
    const known = await this.repository.sites(siteIds);
    for (const siteId of siteIds) {
      const site = known.find((k) => k.id === siteId.toLowerCase());
      if (site === undefined) throw new ProblemException('not-found', { detail: 'No such site' });
      await this.records.assertSite(
        actor,
        { siteId: site.id, networkId: site.network_id },
        { action, resourceType: 'staff' },
      );
    }
  }
}
