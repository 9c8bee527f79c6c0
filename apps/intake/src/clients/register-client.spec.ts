import { ReferralStatus } from '../referrals/referral.rules';
import { NETWORK, SITE_A, SITE_B, STAFF, aClientBody, aReferralRow, aStaffActor } from '../testing/factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { RegisterClient } from './register-client';

describe('RegisterClient', () => {
  let world: UnitWorld;
  let register: RegisterClient;

  beforeEach(() => {
    world = unitWorld();
    const d = injected(world);
    register = new RegisterClient(d.unitOfWork, d.records, d.clients, d.referrals, d.clock);
  });

  it('stores the client in the network of their site, audits it and publishes nothing', async () => {
    const view = await register.execute(
      aStaffActor(),
      aClientBody({ pronouns: 'she/her', phone: '+15555550100', email: 'ada@example.org' }),
    );

    expect(view).toEqual({
      id: view.id,
      siteId: SITE_A,
      referralId: null,
      givenName: 'Ada',
      familyName: 'Example',
      dateOfBirth: '1990-01-01',
      pronouns: 'she/her',
      preferredLanguage: 'en',
      timeZone: 'America/New_York',
      phone: '+15555550100',
      email: 'ada@example.org',
      address: null,
      createdAt: '2026-03-10T15:00:00.000Z',
    });
    expect(world.clients.row(view.id)).toMatchObject({ network_id: NETWORK });
    expect(world.audit.entries).toEqual([
      {
        action: 'create',
        resourceType: 'client',
        resourceId: view.id,
        clientId: view.id,
        siteId: SITE_A,
        outcome: 'allowed',
      },
    ]);
    expect(world.unitOfWork.published).toEqual([]);
  });

  it('links the referral the client came from, which keeps its status', async () => {
    const referral = world.referrals.seed(aReferralRow({ status: ReferralStatus.Screening }));

    const view = await register.execute(aStaffActor(), aClientBody({ referralId: referral.id }));

    expect(view.referralId).toBe(referral.id);
    expect(world.referrals.row(referral.id)).toMatchObject({
      client_id: view.id,
      status: ReferralStatus.Screening,
    });
  });

  it('refuses a referral made to another site (422) or already with a client (409), storing nothing', async () => {
    const elsewhere = world.referrals.seed(aReferralRow({ site_id: SITE_B }));
    const taken = world.referrals.seed(aReferralRow({ client_id: STAFF }));
    const actor = aStaffActor([SITE_A, SITE_B]);

    await expect(register.execute(actor, aClientBody({ referralId: elsewhere.id }))).rejects.toMatchObject({
      code: 'unprocessable',
      problem: { errors: [{ field: 'referralId', problems: ['the referral was made to another site'] }] },
    });
    await expect(register.execute(actor, aClientBody({ referralId: taken.id }))).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(world.clients.rows()).toEqual([]);
  });

  it('answers 404 for a referral at a site outside the caller’s, auditing the denial', async () => {
    const elsewhere = world.referrals.seed(aReferralRow({ site_id: SITE_B }));

    await expect(
      register.execute(aStaffActor(), aClientBody({ referralId: elsewhere.id })),
    ).rejects.toMatchObject({
      code: 'not-found',
    });
    expect(world.audit.outcomes()).toEqual(['update:referral:denied']);
  });

  it('answers 404 for a site outside the caller’s, auditing the denial', async () => {
    await expect(register.execute(aStaffActor(), aClientBody({ siteId: SITE_B }))).rejects.toMatchObject({
      code: 'not-found',
    });
    expect(world.audit.outcomes()).toEqual(['create:client:denied']);
    expect(world.clients.rows()).toEqual([]);
  });

  it('refuses a birth date after today with 422, and takes one of today', async () => {
    await expect(
      register.execute(aStaffActor(), aClientBody({ dateOfBirth: '2026-03-11' })),
    ).rejects.toMatchObject({
      code: 'unprocessable',
      problem: { errors: [{ field: 'dateOfBirth', problems: ['dateOfBirth must not be in the future'] }] },
    });
    await expect(
      register.execute(aStaffActor(), aClientBody({ dateOfBirth: '2026-03-10' })),
    ).resolves.toMatchObject({
      dateOfBirth: '2026-03-10',
    });
  });
});
