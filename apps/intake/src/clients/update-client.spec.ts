import { randomUUID } from 'node:crypto';
import { SITE_B, aClientRow, aStaffActor } from '../testing/factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { UpdateClient } from './update-client';

describe('UpdateClient', () => {
  let world: UnitWorld;
  let update: UpdateClient;

  beforeEach(() => {
    world = unitWorld();
    const d = injected(world);
    update = new UpdateClient(d.unitOfWork, d.records, d.clients, d.clock);
  });

  it('changes only the fields given, audits the change and publishes nothing', async () => {
    const client = world.clients.seed(aClientRow({ phone: '+15555550100', pronouns: 'she/her' }));

    const view = await update.execute(aStaffActor(), client.id, {
      email: 'ada@example.org',
      pronouns: 'they/them',
    });

    expect(view).toMatchObject({
      id: client.id,
      givenName: 'Ada',
      phone: '+15555550100',
      email: 'ada@example.org',
      pronouns: 'they/them',
    });
    expect(world.audit.entries).toEqual([
      expect.objectContaining({
        action: 'update',
        resourceType: 'client',
        resourceId: client.id,
        outcome: 'allowed',
      }),
    ]);
    expect(world.unitOfWork.published).toEqual([]);
  });

  it('refuses a change that names no field (400) or a birth date in the future (422)', async () => {
    const client = world.clients.seed(aClientRow());

    await expect(update.execute(aStaffActor(), client.id, {})).rejects.toMatchObject({
      code: 'validation-failed',
      problem: { detail: 'Name at least one field to change' },
    });
    await expect(
      update.execute(aStaffActor(), client.id, { dateOfBirth: '2026-03-11' }),
    ).rejects.toMatchObject({
      code: 'unprocessable',
    });
    expect(world.clients.row(client.id)).toEqual(client);
  });

  it('answers 404 for a client that does not exist, or at another site with the denial audited', async () => {
    const elsewhere = world.clients.seed(aClientRow({ site_id: SITE_B }));

    await expect(update.execute(aStaffActor(), randomUUID(), { pronouns: 'he/him' })).rejects.toMatchObject({
      code: 'not-found',
    });
    await expect(update.execute(aStaffActor(), elsewhere.id, { pronouns: 'he/him' })).rejects.toMatchObject({
      code: 'not-found',
    });
    expect(world.audit.outcomes()).toEqual(['update:client:denied']);
    expect(world.clients.row(elsewhere.id)).toEqual(elsewhere);
  });
});
