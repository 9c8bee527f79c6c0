import { randomUUID } from 'node:crypto';
import { SITE_A, SITE_B, aClientRow, aStaffActor } from '../testing/factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { ReadClient } from './read-client';

describe('ReadClient', () => {
  let world: UnitWorld;
  let read: ReadClient;

  beforeEach(() => {
    world = unitWorld();
    read = new ReadClient(injected(world).records);
  });

  it('shows demographics and contacts, and audits the read against the client', async () => {
    const client = world.clients.seed(aClientRow({ email: 'ada@example.org' }));

    await expect(read.execute(aStaffActor(), client.id)).resolves.toMatchObject({
      id: client.id,
      siteId: SITE_A,
      givenName: 'Ada',
      email: 'ada@example.org',
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    expect(world.audit.entries).toEqual([
      {
        action: 'read',
        resourceType: 'client',
        resourceId: client.id,
        clientId: client.id,
        siteId: SITE_A,
        outcome: 'allowed',
      },
    ]);
  });

  it('answers 404 for a client that does not exist or is at another site', async () => {
    const elsewhere = world.clients.seed(aClientRow({ site_id: SITE_B }));

    await expect(read.execute(aStaffActor(), randomUUID())).rejects.toMatchObject({ code: 'not-found' });
    await expect(read.execute(aStaffActor(), elsewhere.id)).rejects.toMatchObject({ code: 'not-found' });
    expect(world.audit.outcomes()).toEqual(['read:client:denied']);
  });
});
