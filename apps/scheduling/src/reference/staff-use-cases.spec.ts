import { NETWORK, actorAt } from '../testing/actors';
import { REF_NOW, referenceWorld, staffMemberBody } from '../testing/reference-world';
import { CreateStaffMember } from './create-staff-member';
import { GetStaffContact } from './get-staff-contact';
import { GetStaffMember } from './get-staff-member';
import { StaffAccess } from './staff-access';
import { UpdateStaffMember } from './update-staff-member';

const SITE_A = 'a0000000-0000-4000-8000-00000000000a';
const SITE_B = 'b0000000-0000-4000-8000-00000000000b';
const SITE_C = 'c0000000-0000-4000-8000-00000000000c';

type World = Awaited<ReturnType<typeof referenceWorld>>;
const access = (w: World): StaffAccess => new StaffAccess(w.records, w.records.scope, w.store.asRepository());
const creating = (w: World): CreateStaffMember =>
  new CreateStaffMember(w.unitOfWork, access(w), w.store.asRepository(), w.clock);

describe('CreateStaffMember', () => {
  it('stores the member with contact details but publishes StaffMemberUpserted without them', async () => {
    const w = await referenceWorld(SITE_A, SITE_B);
    const view = await creating(w).execute(
      actorAt(SITE_A, SITE_B),
      staffMemberBody([SITE_A, SITE_B.toUpperCase()]),
    );
    expect(view).toMatchObject({
      siteIds: [SITE_A, SITE_B],
      email: 'rivera@clinic.example',
      networkId: NETWORK,
    });
    expect(w.unitOfWork.published).toEqual([
      {
        type: 'StaffMemberUpserted',
        payload: {
          staffId: view.id,
          networkId: NETWORK,
          siteIds: [SITE_A, SITE_B],
          roles: ['counselor'],
          active: true,
          updatedAt: REF_NOW,
        },
      },
    ]);
  });

  it('answers 404 for an unknown site, or one the caller may not act at (audited)', async () => {
    const w = await referenceWorld(SITE_A, SITE_B);
    await expect(creating(w).execute(actorAt(SITE_A), staffMemberBody([SITE_C]))).rejects.toMatchObject({
      code: 'not-found',
    });
    await expect(
      creating(w).execute(actorAt(SITE_A), staffMemberBody([SITE_A, SITE_B])),
    ).rejects.toMatchObject({
      code: 'not-found',
    });
    expect(w.records.trail.entries).toEqual([
      { action: 'create', resourceType: 'staff', siteId: SITE_B, networkId: NETWORK, outcome: 'denied' },
    ]);
    expect(w.unitOfWork.published).toEqual([]);
  });
});

describe('UpdateStaffMember', () => {
  it('replaces a member reachable through any of their sites, keeping the network', async () => {
    const w = await referenceWorld(SITE_A, SITE_B);
    const created = await creating(w).execute(actorAt(SITE_A, SITE_B), staffMemberBody([SITE_A, SITE_B]));
    const updating = new UpdateStaffMember(
      w.unitOfWork,
      access(w),
      w.store.asRepository(),
      w.clock,
      creating(w),
    );
    const view = await updating.execute(
      actorAt(SITE_B),
      created.id,
      staffMemberBody([SITE_B], { email: undefined }),
    );
    expect(view).toMatchObject({ id: created.id, siteIds: [SITE_B], networkId: NETWORK });
    expect(view).not.toHaveProperty('email');
  });

  it('answers 404 to a caller at none of their sites, auditing the denial on the first', async () => {
    const w = await referenceWorld(SITE_A, SITE_B);
    const created = await creating(w).execute(actorAt(SITE_A), staffMemberBody([SITE_A]));
    const updating = new UpdateStaffMember(
      w.unitOfWork,
      access(w),
      w.store.asRepository(),
      w.clock,
      creating(w),
    );
    await expect(
      updating.execute(actorAt(SITE_B), created.id, staffMemberBody([SITE_B])),
    ).rejects.toMatchObject({
      code: 'not-found',
    });
    expect(w.records.trail.entries).toEqual([
      {
        action: 'update',
        resourceType: 'staff',
        resourceId: created.id,
        siteId: SITE_A,
        networkId: NETWORK,
        outcome: 'denied',
      },
    ]);
  });
  it('creates an unknown id with that id, at sites the caller may act at only', async () => {
    const w = await referenceWorld(SITE_A, SITE_B);
    const updating = new UpdateStaffMember(
      w.unitOfWork,
      access(w),
      w.store.asRepository(),
      w.clock,
      creating(w),
    );
    const id = '7d3f6c1e-2b4a-4e8f-9c1d-5a6b7c8d9e0f';
    const view = await updating.execute(actorAt(SITE_A), id, staffMemberBody([SITE_A]));
    expect(view).toMatchObject({ id, siteIds: [SITE_A], networkId: NETWORK });
    await expect(
      updating.execute(actorAt(SITE_A), '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d', staffMemberBody([SITE_B])),
    ).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('GetStaffMember', () => {
  it('shows the member to callers at one of their sites only', async () => {
    const w = await referenceWorld(SITE_A, SITE_B);
    const created = await creating(w).execute(actorAt(SITE_A), staffMemberBody([SITE_A]));
    const getting = new GetStaffMember(access(w));
    await expect(getting.execute(actorAt(SITE_A), created.id)).resolves.toEqual(created);
    await expect(getting.execute(actorAt(SITE_B), created.id)).rejects.toMatchObject({ code: 'not-found' });
    await expect(getting.execute(actorAt(SITE_A), 'no-such-staff')).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});

describe('GetStaffContact', () => {
  it('gives the address of a channel and audits every lookup, found or not', async () => {
    const w = await referenceWorld(SITE_A);
    const created = await creating(w).execute(
      actorAt(SITE_A),
      staffMemberBody([SITE_A], { phone: undefined }),
    );
    const contacts = new GetStaffContact(w.store.asRepository(), w.records.trail);
    const service = actorAt();
    await expect(contacts.execute(service, created.id, 'email')).resolves.toEqual({
      channel: 'email',
      address: 'rivera@clinic.example',
      timeZone: 'America/New_York',
      preferredLanguage: 'en-US',
      displayName: 'Dr. Rivera',
    });
    await expect(contacts.execute(service, created.id, 'sms')).rejects.toMatchObject({ code: 'not-found' });
    await expect(contacts.execute(service, 'no-such-staff', 'sms')).rejects.toMatchObject({
      code: 'not-found',
    });
    const lookup = {
      action: 'read',
      resourceType: 'staff-contact',
      resourceId: created.id,
      siteId: SITE_A,
      networkId: NETWORK,
    };
    expect(w.records.trail.entries).toEqual([
      { ...lookup, outcome: 'allowed' },
      { ...lookup, outcome: 'denied' },
      { action: 'read', resourceType: 'staff-contact', resourceId: 'no-such-staff', outcome: 'denied' },
    ]);
  });

  it('answers 404 for an inactive member even with an address', async () => {
    const w = await referenceWorld(SITE_A);
    const created = await creating(w).execute(actorAt(SITE_A), staffMemberBody([SITE_A], { active: false }));
    const contacts = new GetStaffContact(w.store.asRepository(), w.records.trail);
    await expect(contacts.execute(actorAt(), created.id, 'email')).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});
