import { randomUUID } from 'node:crypto';
import { SITE_A, SITE_B, aReferralRow, aStaffActor } from '../testing/factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { ReadReferral } from './read-referral';

describe('ReadReferral', () => {
  let world: UnitWorld;
  let read: ReadReferral;

  beforeEach(() => {
    world = unitWorld();
    read = new ReadReferral(injected(world).records);
  });

  it('shows the referral with its referrer, and audits the read', async () => {
    const referral = world.referrals.seed(aReferralRow());

    await expect(read.execute(aStaffActor(), referral.id)).resolves.toEqual({
      id: referral.id,
      siteId: SITE_A,
      source: referral.source,
      reasonCode: referral.reason_code,
      referrer: { name: 'Dr Example' },
      status: referral.status,
      clientId: null,
      receivedAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(world.audit.entries).toEqual([
      {
        action: 'read',
        resourceType: 'referral',
        resourceId: referral.id,
        siteId: SITE_A,
        outcome: 'allowed',
      },
    ]);
  });

  it('answers 404 for a referral that does not exist or is at another site', async () => {
    const elsewhere = world.referrals.seed(aReferralRow({ site_id: SITE_B }));

    await expect(read.execute(aStaffActor(), randomUUID())).rejects.toMatchObject({ code: 'not-found' });
    await expect(read.execute(aStaffActor(), elsewhere.id)).rejects.toMatchObject({ code: 'not-found' });
    expect(world.audit.outcomes()).toEqual(['read:referral:denied']);
  });
});
