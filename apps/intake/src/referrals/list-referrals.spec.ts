import { SITE_A, SITE_B, aReferralRow, aStaffActor } from '../testing/factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { ListReferrals } from './list-referrals';
import { ReferralStatus } from './referral.rules';

describe('ListReferrals', () => {
  let world: UnitWorld;
  let list: ListReferrals;

  beforeEach(() => {
    world = unitWorld();
    const d = injected(world);
    list = new ListReferrals(d.referrals, d.audit);
  });

  it('lists the site’s referrals, of one status when asked, and audits the listing at the site', async () => {
    const received = world.referrals.seed(aReferralRow({ status: ReferralStatus.Received }));
    const screening = world.referrals.seed(aReferralRow({ status: ReferralStatus.Screening }));
    world.referrals.seed(aReferralRow({ site_id: SITE_B }));

    const all = await list.execute(aStaffActor(), SITE_A, {});
    const queue = await list.execute(aStaffActor(), SITE_A, { status: ReferralStatus.Received });

    expect(all.items.map((referral) => referral.id)).toEqual([received.id, screening.id]);
    expect(queue.items.map((referral) => referral.id)).toEqual([received.id]);
    expect(world.audit.entries).toEqual([
      { action: 'list', resourceType: 'referral', siteId: SITE_A, outcome: 'allowed' },
      { action: 'list', resourceType: 'referral', siteId: SITE_A, outcome: 'allowed' },
    ]);
  });
});
