import { randomUUID } from 'node:crypto';
import { SITE_A, SITE_B, aStaffActor } from '../testing/factories';
import { aScreeningRow } from '../testing/screening-factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { ReadScreening } from './read-screening';

describe('ReadScreening', () => {
  let world: UnitWorld;
  let read: ReadScreening;

  beforeEach(() => {
    world = unitWorld();
    read = new ReadScreening(injected(world).records);
  });

  it('shows the screening with its answers, and audits the read against the client', async () => {
    const screening = world.screenings.seed(aScreeningRow());

    await expect(read.execute(aStaffActor(), screening.id)).resolves.toEqual({
      id: screening.id,
      clientId: screening.client_id,
      instrument: screening.instrument,
      instrumentVersion: 'phq-9@1',
      answers: screening.answers,
      totalScore: 0,
      band: screening.band,
      bandDefinitionVersion: 'phq-9.kroenke-2001@1',
      urgentFlags: [],
      completedAt: '2026-03-09T12:00:00.000Z',
    });
    expect(world.audit.entries).toEqual([
      {
        action: 'read',
        resourceType: 'screening',
        resourceId: screening.id,
        clientId: screening.client_id,
        siteId: SITE_A,
        outcome: 'allowed',
      },
    ]);
  });

  it('answers 404 for a screening that does not exist or is at another site', async () => {
    const elsewhere = world.screenings.seed(aScreeningRow({ site_id: SITE_B }));

    await expect(read.execute(aStaffActor(), randomUUID())).rejects.toMatchObject({ code: 'not-found' });
    await expect(read.execute(aStaffActor(), elsewhere.id)).rejects.toMatchObject({ code: 'not-found' });
    expect(world.audit.outcomes()).toEqual(['read:screening:denied']);
  });
});
