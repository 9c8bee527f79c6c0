import { ReferralSource } from '@stepwise/contracts';
import { NETWORK, SITE_A, SITE_B, aStaffActor } from '../testing/factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { type CreateReferralDto } from './referral.dto';
import { ReferralReason, ReferralStatus } from './referral.rules';
import { ReceiveReferral } from './receive-referral';

describe('ReceiveReferral', () => {
  let world: UnitWorld;
  let receive: ReceiveReferral;
  const body = (overrides: Partial<CreateReferralDto> = {}): CreateReferralDto => ({
    siteId: SITE_A,
    source: ReferralSource.Physician,
    reasonCode: ReferralReason.CoOccurring,
    referrer: { name: 'Dr Example', phone: '+15555550100' },
    ...overrides,
  });

  beforeEach(() => {
    world = unitWorld();
    const d = injected(world);
    receive = new ReceiveReferral(d.unitOfWork, d.records, d.referrals, d.clock);
  });

  it('receives the referral now, in status received, and publishes ReferralReceived without the referrer', async () => {
    const view = await receive.execute(aStaffActor(), body());

    expect(view).toMatchObject({
      siteId: SITE_A,
      source: ReferralSource.Physician,
      reasonCode: ReferralReason.CoOccurring,
      referrer: { name: 'Dr Example', phone: '+15555550100' },
      status: ReferralStatus.Received,
      clientId: null,
      receivedAt: '2026-03-10T15:00:00.000Z',
    });
    expect(world.unitOfWork.published).toEqual([
      {
        type: 'ReferralReceived',
        payload: {
          referralId: view.id,
          siteId: SITE_A,
          source: ReferralSource.Physician,
          receivedAt: '2026-03-10T15:00:00.000Z',
        },
      },
    ]);
    expect(world.referrals.row(view.id)).toMatchObject({ network_id: NETWORK });
    expect(world.audit.entries).toEqual([
      { action: 'create', resourceType: 'referral', resourceId: view.id, siteId: SITE_A, outcome: 'allowed' },
    ]);
  });

  it('answers 404 for a site outside the caller’s, auditing the denial and publishing nothing', async () => {
    await expect(receive.execute(aStaffActor(), body({ siteId: SITE_B }))).rejects.toMatchObject({
      code: 'not-found',
    });
    expect(world.audit.outcomes()).toEqual(['create:referral:denied']);
    expect(world.referrals.rows()).toEqual([]);
    expect(world.unitOfWork.published).toEqual([]);
  });
});
