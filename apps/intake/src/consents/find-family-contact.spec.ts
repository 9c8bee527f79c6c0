import { CLIENT } from '../clients/clients.repository';
import { SISTER, aConsentRow } from '../testing/consent-factories';
import { aClientRow, aStaffActor } from '../testing/factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { FindFamilyContact } from './find-family-contact';

describe('FindFamilyContact', () => {
  let world: UnitWorld;
  let find: FindFamilyContact;
  const client = aClientRow({ time_zone: 'America/Chicago', preferred_language: 'es' });

  beforeEach(() => {
    world = unitWorld();
    world.tables.put(CLIENT.table, client);
    const d = injected(world);
    find = new FindFamilyContact(d.records, d.consents, d.audit, d.clock);
  });

  it('gives the channel asked for, from the latest current consent naming them, in the client’s zone and language', async () => {
    world.consents.seed(aConsentRow({ client_id: client.id, recipient_phone: '+15555550111' }));
    world.consents.seed(
      aConsentRow({
        client_id: client.id,
        granted_at: new Date('2026-03-05T00:00:00Z'),
        recipient_name: 'Bea',
      }),
    );

    await expect(find.execute(aStaffActor(), client.id, SISTER, 'sms')).resolves.toEqual({
      channel: 'sms',
      address: '+15555550100',
      timeZone: 'America/Chicago',
      preferredLanguage: 'es',
      displayName: 'Bea',
    });
    expect(world.audit.entries).toEqual([
      expect.objectContaining({ action: 'contact', resourceType: 'recipient', resourceId: SISTER }),
    ]);
  });

  it('answers 404 when only a revoked or expired consent names them, still auditing the attempt', async () => {
    world.consents.seed(aConsentRow({ client_id: client.id, revoked_at: new Date('2026-03-02T00:00:00Z') }));
    world.consents.seed(aConsentRow({ client_id: client.id, expires_at: new Date('2026-03-09T00:00:00Z') }));

    await expect(find.execute(aStaffActor(), client.id, SISTER, 'sms')).rejects.toMatchObject({
      code: 'not-found',
    });
    expect(world.audit.entries).toHaveLength(1);
  });

  it('answers contact-channel-missing when they have no address on that channel', async () => {
    world.consents.seed(aConsentRow({ client_id: client.id }));

    await expect(find.execute(aStaffActor(), client.id, SISTER, 'email')).rejects.toMatchObject({
      code: 'contact-channel-missing',
    });
  });
});
