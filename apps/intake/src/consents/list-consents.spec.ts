import { CLIENT } from '../clients/clients.repository';
import { aConsentRow } from '../testing/consent-factories';
import { SITE_B, aClientRow, aStaffActor } from '../testing/factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { ListConsents } from './list-consents';

describe('ListConsents', () => {
  let world: UnitWorld;
  let list: ListConsents;
  const client = aClientRow();

  beforeEach(() => {
    world = unitWorld();
    world.tables.put(CLIENT.table, client);
    const d = injected(world);
    list = new ListConsents(d.records, d.consents);
  });

  it('lists the client’s consents only, and audits the listing against the client', async () => {
    const mine = world.consents.seed(aConsentRow({ client_id: client.id }));
    world.consents.seed(aConsentRow());

    const page = await list.execute(aStaffActor(), client.id, {});

    expect(page.items.map((consent) => consent.id)).toEqual([mine.id]);
    expect(world.audit.entries).toEqual([
      expect.objectContaining({
        action: 'list',
        resourceType: 'consent',
        resourceId: client.id,
        clientId: client.id,
      }),
    ]);
  });

  it('answers 404 for a client at another site', async () => {
    const elsewhere = world.tables.put(CLIENT.table, aClientRow({ site_id: SITE_B }));

    await expect(list.execute(aStaffActor(), elsewhere.id, {})).rejects.toMatchObject({ code: 'not-found' });
  });
});
