import { CLIENT } from '../clients/clients.repository';
import { theIllustrativeRuleSet } from '../testing/assessment-factories';
import { SITE_B, aClientRow, aStaffActor } from '../testing/factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { AssessClient } from './assess-client';
import { ListAssessments } from './list-assessments';

describe('ListAssessments', () => {
  let world: UnitWorld;
  let list: ListAssessments;
  let assess: AssessClient;
  const client = aClientRow();
  const other = aClientRow();

  beforeEach(() => {
    world = unitWorld();
    world.tables.put(CLIENT.table, client);
    world.tables.put(CLIENT.table, other);
    world.assessments.seedRuleSet(theIllustrativeRuleSet());
    const d = injected(world);
    list = new ListAssessments(d.records, d.assessments);
    assess = new AssessClient(d.unitOfWork, d.records, d.assessments, d.episodes, d.clock);
  });

  it('lists the client’s assessments only, and audits the listing against the client', async () => {
    const ratings = { dimensionRatings: [0, 0, 0, 0, 0, 0], assessedAt: '2026-03-10T14:00:00Z' };
    const mine = await assess.execute(aStaffActor(), client.id, ratings);
    await assess.execute(aStaffActor(), other.id, ratings);

    const page = await list.execute(aStaffActor(), client.id, {});

    expect(page.items.map((assessment) => assessment.id)).toEqual([mine.id]);
    expect(world.audit.entries.at(-1)).toMatchObject({
      action: 'list',
      resourceType: 'assessment',
      resourceId: client.id,
    });
  });

  it('answers 404 for a client at another site', async () => {
    await expect(list.execute(aStaffActor([SITE_B]), client.id, {})).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});
