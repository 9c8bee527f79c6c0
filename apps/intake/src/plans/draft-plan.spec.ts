import { randomUUID } from 'node:crypto';
import { SITE_B, aStaffActor, anEpisodeRow } from '../testing/factories';
import { aPlanRow, aProblem } from '../testing/plan-factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { DraftPlan } from './draft-plan';

describe('DraftPlan', () => {
  let world: UnitWorld;
  let draft: DraftPlan;

  beforeEach(() => {
    world = unitWorld();
    const d = injected(world);
    draft = new DraftPlan(d.unitOfWork, d.records, d.plans, d.cipher);
  });

  it('writes the first draft with ids on every node, its text sealed, and audits it', async () => {
    const episode = world.episodes.seed(anEpisodeRow());

    const plan = await draft.execute(aStaffActor(), episode.id, { problems: [aProblem()] });

    expect(plan).toMatchObject({
      episodeId: episode.id,
      clientId: episode.client_id,
      version: 1,
      status: 'draft',
    });
    const goal = plan.problems[0]?.goals[0];
    expect(goal?.id).toEqual(expect.any(String));
    expect(goal?.objectives[0]).toMatchObject({
      id: expect.any(String),
      description: 'Attend 3 groups a week',
    });
    expect(plan.goalIds).toEqual([goal?.id]);
    const stored = world.plans.row(plan.id);
    expect(stored?.problems).toBeNull();
    expect(stored?.problems_sealed?.toString('utf8')).not.toContain('abstinent');
    expect(world.audit.entries).toEqual([
      expect.objectContaining({ action: 'create', resourceType: 'plan' }),
    ]);
  });

  it('numbers a new draft after the earlier versions, keeping a carried-forward goal id', async () => {
    const episode = world.episodes.seed(anEpisodeRow());
    const goalId = randomUUID();
    world.plans.seed(aPlanRow({ episode_id: episode.id, version: 2, goal_ids: [goalId] }));

    const plan = await draft.execute(aStaffActor(), episode.id, { problems: [aProblem(goalId)] });

    expect(plan.version).toBe(3);
    expect(plan.goalIds).toEqual([goalId]);
  });

  it('answers 422 naming a goal id no earlier version had', async () => {
    const episode = world.episodes.seed(anEpisodeRow());

    await expect(
      draft.execute(aStaffActor(), episode.id, { problems: [aProblem(randomUUID())] }),
    ).rejects.toMatchObject({
      code: 'unprocessable',
      problem: { errors: [{ field: 'problems.0.goals.0.id' }] },
    });
  });

  it('answers 422 for a goal used twice', async () => {
    const episode = world.episodes.seed(anEpisodeRow());
    const goalId = randomUUID();
    world.plans.seed(aPlanRow({ episode_id: episode.id, goal_ids: [goalId] }));

    await expect(
      draft.execute(aStaffActor(), episode.id, { problems: [aProblem(goalId), aProblem(goalId)] }),
    ).rejects.toMatchObject({ code: 'unprocessable', problem: { errors: [{ field: 'problems' }] } });
  });

  it('answers 409 for a discharged episode and 404 for one at another site', async () => {
    const discharged = world.episodes.seed(anEpisodeRow({ status: 'discharged' }));
    const elsewhere = world.episodes.seed(anEpisodeRow({ site_id: SITE_B }));

    await expect(
      draft.execute(aStaffActor(), discharged.id, { problems: [aProblem()] }),
    ).rejects.toMatchObject({
      code: 'invalid-transition',
    });
    await expect(
      draft.execute(aStaffActor(), elsewhere.id, { problems: [aProblem()] }),
    ).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});
