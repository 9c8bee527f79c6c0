import { SITE_B, aReferralRow, aStaffActor } from '../testing/factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { MoveReferral } from './move-referral';
import { ReferralStatus } from './referral.rules';

describe('MoveReferral', () => {
  let world: UnitWorld;
  let move: MoveReferral;

  beforeEach(() => {
    world = unitWorld();
    const d = injected(world);
    move = new MoveReferral(d.unitOfWork, d.records, d.referrals, d.clock);
  });

  it('moves a referral on as of now, audits the change and publishes nothing', async () => {
    const referral = world.referrals.seed(aReferralRow({ status: ReferralStatus.Received }));

    await expect(
      move.execute(aStaffActor(), referral.id, { to: ReferralStatus.Screening }),
    ).resolves.toMatchObject({
      id: referral.id,
      status: ReferralStatus.Screening,
      updatedAt: '2026-03-10T15:00:00.000Z',
    });
    expect(world.audit.outcomes()).toEqual(['update:referral:allowed']);
    expect(world.unitOfWork.published).toEqual([]);
  });

  it('closes an open referral as declined from any step', async () => {
    const referral = world.referrals.seed(aReferralRow({ status: ReferralStatus.Screening }));

    await expect(
      move.execute(aStaffActor(), referral.id, { to: ReferralStatus.Declined }),
    ).resolves.toMatchObject({
      status: ReferralStatus.Declined,
    });
  });

  it('refuses skipping back or moving a closed referral (409), leaving it as it was', async () => {
    const assessed = world.referrals.seed(aReferralRow({ status: ReferralStatus.Assessed }));
    const declined = world.referrals.seed(aReferralRow({ status: ReferralStatus.Declined }));

    await expect(
      move.execute(aStaffActor(), assessed.id, { to: ReferralStatus.Screening }),
    ).rejects.toMatchObject({
      code: 'invalid-transition',
      problem: { detail: 'A assessed referral cannot become screening' },
    });
    await expect(
      move.execute(aStaffActor(), declined.id, { to: ReferralStatus.Assessed }),
    ).rejects.toMatchObject({
      code: 'invalid-transition',
    });
    expect(world.referrals.row(assessed.id)).toEqual(assessed);
  });

  it('answers 404 for a referral at another site, auditing the denial', async () => {
    const elsewhere = world.referrals.seed(
      aReferralRow({ site_id: SITE_B, status: ReferralStatus.Received }),
    );

    await expect(
      move.execute(aStaffActor(), elsewhere.id, { to: ReferralStatus.Screening }),
    ).rejects.toMatchObject({
      code: 'not-found',
    });
    expect(world.audit.outcomes()).toEqual(['update:referral:denied']);
  });
});
