import { SITE_B, aStaffActor, anEpisodeRow } from '../testing/factories';
import { aProblem } from '../testing/plan-factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { DraftPlan } from './draft-plan';
import { ListPlans } from './list-plans';

describe('ListPlans', () => {
  let world: UnitWorld;
  let list: ListPlans;
  let draft: DraftPlan;

  beforeEach(() => {
    world = unitWorld();
    const d = injected(world);
    list = new ListPlans(d.records, d.plans, d.cipher);
    draft = new DraftPlan(d.unitOfWork, d.records, d.plans, d.cipher);
  });

  it('lists the episode’s versions oldest first, their sealed text opened, and audits the listing', async () => {
    const episode = world.episodes.seed(anEpisodeRow());
    await draft.execute(aStaffActor(), episode.id, { problems: [aProblem()] });
    await draft.execute(aStaffActor(), episode.id, { problems: [aProblem(), aProblem()] });

    const plans = await list.execute(aStaffActor(), episode.id);

    expect(plans.map((plan) => [plan.version, plan.problems.length])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(plans[0]?.problems[0]?.description).toBe('Alcohol use disorder, moderate');
    expect(world.audit.entries.at(-1)).toMatchObject({
      action: 'list',
      resourceType: 'plan',
      resourceId: episode.id,
    });
  });

  it('answers 404 for an episode at another site', async () => {
    const elsewhere = world.episodes.seed(anEpisodeRow({ site_id: SITE_B }));

    await expect(list.execute(aStaffActor(), elsewhere.id)).rejects.toMatchObject({ code: 'not-found' });
  });
});
