import { Injectable } from '@nestjs/common';
import { type Actor, AuditTrail, type Page } from '@stepwise/security';
import { listAtSite } from '../shared/list-at-site';
import { type ReferralListQuery, type ReferralView } from './referral.dto';
import { referralView } from './referral-view';
import { REFERRAL, ReferralsRepository } from './referrals.repository';

/** A site's referrals, optionally of one status, oldest first; the listing is audited at the site. */
@Injectable()
export class ListReferrals {
  constructor(
    private readonly referrals: ReferralsRepository,
    private readonly audit: AuditTrail,
  ) {}

  execute(actor: Actor, siteId: string, query: ReferralListQuery): Promise<Page<ReferralView>> {
    return listAtSite(this.audit, actor, siteId, REFERRAL, () =>
      this.referrals.page(siteId, query, referralView),
    );
  }
}
