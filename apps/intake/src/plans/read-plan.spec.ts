import { randomUUID } from 'node:crypto';
import { SITE_B, aStaffActor } from '../testing/factories';
import { aPlanRow, aProblem } from '../testing/plan-factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { ReadPlan } from './read-plan';

describe('ReadPlan', () => {
  let world: UnitWorld;
  let read: ReadPlan;

  beforeEach(() => {
    world = unitWorld();
    const d = injected(world);
    read = new ReadPlan(d.records, d.cipher);
  });

  it('shows a plan stored before its text was sealed as it was written, and audits the read', async () => {
    const plan = world.plans.seed(aPlanRow());

    await expect(read.execute(aStaffActor(), plan.id)).resolves.toMatchObject({
      id: plan.id,
      problems: [aProblem()],
    });
    expect(world.audit.entries).toEqual([expect.objectContaining({ action: 'read', resourceType: 'plan' })]);
  });

  it('answers 404 for a plan that does not exist or is at another site', async () => {
    const elsewhere = world.plans.seed(aPlanRow({ site_id: SITE_B }));

    await expect(read.execute(aStaffActor(), randomUUID())).rejects.toMatchObject({ code: 'not-found' });
    await expect(read.execute(aStaffActor(), elsewhere.id)).rejects.toMatchObject({ code: 'not-found' });
  });
});
