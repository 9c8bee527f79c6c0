import { SITE_B, aClientRow, aServiceActor } from '../testing/factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { FindClientContact } from './find-client-contact';

describe('FindClientContact', () => {
  let world: UnitWorld;
  let find: FindClientContact;
  const client = aClientRow({
    phone: '+15555550100',
    email: null,
    time_zone: 'America/Chicago',
    preferred_language: 'es',
  });

  beforeEach(() => {
    world = unitWorld();
    world.clients.seed(client);
    find = new FindClientContact(injected(world).records);
  });

  it('gives only the channel asked for, with the client’s zone, language and given name; audited', async () => {
    await expect(find.execute(aServiceActor(), client.id, 'sms')).resolves.toEqual({
      channel: 'sms',
      address: '+15555550100',
      timeZone: 'America/Chicago',
      preferredLanguage: 'es',
      displayName: 'Ada',
    });
    expect(world.audit.outcomes()).toEqual(['contact:client:allowed']);
  });

  it('answers contact-channel-missing when the client has no address on that channel, still auditing', async () => {
    await expect(find.execute(aServiceActor(), client.id, 'email')).rejects.toMatchObject({
      code: 'contact-channel-missing',
      problem: { detail: 'The client has no email contact' },
    });
    expect(world.audit.outcomes()).toEqual(['contact:client:allowed']);
  });

  it('answers 404 for a client at a site outside the caller’s', async () => {
    const elsewhere = world.clients.seed(aClientRow({ site_id: SITE_B, phone: '+15555550100' }));

    await expect(find.execute(aServiceActor(), elsewhere.id, 'sms')).rejects.toMatchObject({
      code: 'not-found',
    });
    expect(world.audit.outcomes()).toEqual(['contact:client:denied']);
  });
});
