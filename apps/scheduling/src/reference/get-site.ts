import { Injectable } from '@nestjs/common';
import { type Actor, ScopedRecords } from '@stepwise/security';
import { SITE_RECORD } from './reference.repository';
import { type SiteView, siteView } from './reference.views';

/** One site, for callers of its network or the site itself (reference data: reads are not audited). */
@Injectable()
export class GetSite {
  constructor(private readonly records: ScopedRecords) {}

  async execute(actor: Actor, siteId: string): Promise<SiteView> {
    return siteView(await this.records.load(actor, SITE_RECORD, siteId, 'read'));
  }
}
