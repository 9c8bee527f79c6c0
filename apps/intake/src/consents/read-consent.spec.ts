import { randomUUID } from 'node:crypto';
import { aConsentRow } from '../testing/consent-factories';
import { SITE_B, aStaffActor } from '../testing/factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { ReadConsent } from './read-consent';

describe('ReadConsent', () => {
  let world: UnitWorld;
  let read: ReadConsent;

  beforeEach(() => {
    world = unitWorld();
    read = new ReadConsent(injected(world).records);
  });

  it('shows the consent, with only the recipient contacts it has, and audits the read', async () => {
    const consent = world.consents.seed(aConsentRow());

    const view = await read.execute(aStaffActor(), consent.id);

    expect(view).toMatchObject({ id: consent.id, clientId: consent.client_id, revokedAt: null });
    expect(view.recipient).toEqual({
      kind: consent.recipient_kind,
      id: consent.recipient_id,
      name: 'Bea Example',
      phone: '+15555550100',
    });
    expect(world.audit.entries).toEqual([
      expect.objectContaining({ action: 'read', resourceId: consent.id }),
    ]);
  });

  it('answers 404 for a consent that does not exist or is at another site', async () => {
    const elsewhere = world.consents.seed(aConsentRow({ site_id: SITE_B }));

    await expect(read.execute(aStaffActor(), randomUUID())).rejects.toMatchObject({ code: 'not-found' });
    await expect(read.execute(aStaffActor(), elsewhere.id)).rejects.toMatchObject({ code: 'not-found' });
  });
});
