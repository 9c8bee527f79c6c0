import { randomUUID } from 'node:crypto';
import { CLIENT } from '../clients/clients.repository';
import { theIllustrativeRuleSet } from '../testing/assessment-factories';
import { SITE_B, aClientRow, aStaffActor } from '../testing/factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { AssessClient } from './assess-client';
import { ReadAssessment } from './read-assessment';

describe('ReadAssessment', () => {
  let world: UnitWorld;
  let read: ReadAssessment;
  let assess: AssessClient;
  const client = aClientRow();

  beforeEach(() => {
    world = unitWorld();
    world.tables.put(CLIENT.table, client);
    world.assessments.seedRuleSet(theIllustrativeRuleSet());
    const d = injected(world);
    read = new ReadAssessment(d.records);
    assess = new AssessClient(d.unitOfWork, d.records, d.assessments, d.episodes, d.clock);
  });

  it('shows the assessment as recorded, and audits the read', async () => {
    const recorded = await assess.execute(aStaffActor(), client.id, {
      dimensionRatings: [0, 0, 0, 0, 0, 0],
      assessedAt: '2026-03-10T14:00:00Z',
    });

    await expect(read.execute(aStaffActor(), recorded.id)).resolves.toEqual(recorded);
    expect(world.audit.entries.at(-1)).toMatchObject({ action: 'read', resourceId: recorded.id });
  });

  it('answers 404 for an assessment that does not exist or is at another site', async () => {
    const recorded = await assess.execute(aStaffActor(), client.id, {
      dimensionRatings: [0, 0, 0, 0, 0, 0],
      assessedAt: '2026-03-10T14:00:00Z',
    });

    await expect(read.execute(aStaffActor(), randomUUID())).rejects.toMatchObject({ code: 'not-found' });
    await expect(read.execute(aStaffActor([SITE_B]), recorded.id)).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});
