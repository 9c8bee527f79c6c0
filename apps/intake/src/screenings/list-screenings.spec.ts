import { CLIENT } from '../clients/clients.repository';
import { SITE_A, SITE_B, aClientRow, aStaffActor } from '../testing/factories';
import { aScreeningRow } from '../testing/screening-factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { ListScreenings } from './list-screenings';

describe('ListScreenings', () => {
  let world: UnitWorld;
  let list: ListScreenings;
  const client = aClientRow();

  beforeEach(() => {
    world = unitWorld();
    world.tables.put(CLIENT.table, client);
    const d = injected(world);
    list = new ListScreenings(d.records, d.screenings);
  });

  it('lists the client’s screenings only, and audits the listing against the client', async () => {
    const mine = world.screenings.seed(aScreeningRow({ client_id: client.id }));
    world.screenings.seed(aScreeningRow());

    const page = await list.execute(aStaffActor(), client.id, {});

    expect(page.items.map((screening) => screening.id)).toEqual([mine.id]);
    expect(world.audit.entries).toEqual([
      {
        action: 'list',
        resourceType: 'screening',
        resourceId: client.id,
        clientId: client.id,
        siteId: SITE_A,
        outcome: 'allowed',
      },
    ]);
  });

  it('answers 404 for a client at another site, auditing the denial', async () => {
    const elsewhere = world.tables.put(CLIENT.table, aClientRow({ site_id: SITE_B }));

    await expect(list.execute(aStaffActor(), elsewhere.id, {})).rejects.toMatchObject({ code: 'not-found' });
    expect(world.audit.outcomes()).toEqual(['list:client:denied']);
  });
});
