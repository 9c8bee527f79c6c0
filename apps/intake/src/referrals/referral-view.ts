import { type ReferralView } from './referral.dto';
import { type ReferralRow } from './referrals.repository';

/** The referral as the API shows it. */
export const referralView = (row: ReferralRow): ReferralView => ({
  id: row.id,
  siteId: row.site_id,
  source: row.source,
  reasonCode: row.reason_code,
  referrer: row.referrer,
  status: row.status,
  clientId: row.client_id,
  receivedAt: row.received_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});
