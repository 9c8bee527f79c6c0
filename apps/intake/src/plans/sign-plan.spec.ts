import { STAFF, aServiceActor, aStaffActor, anEpisodeRow } from '../testing/factories';
import { aPlanRow } from '../testing/plan-factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { SignPlan } from './sign-plan';

describe('SignPlan', () => {
  let world: UnitWorld;
  let sign: SignPlan;

  beforeEach(() => {
    world = unitWorld();
    const d = injected(world);
    sign = new SignPlan(d.planChanges, d.records, d.plans, d.cipher);
  });

  function draftOfActiveEpisode(): { episodeId: string; planId: string; goalIds: string[] } {
    const episode = world.episodes.seed(anEpisodeRow());
    const plan = world.plans.seed(
      aPlanRow({ episode_id: episode.id, client_id: episode.client_id, version: 2 }),
    );
    return { episodeId: episode.id, planId: plan.id, goalIds: plan.goal_ids };
  }

  it('puts the draft in force, supersedes the version before, and publishes TreatmentPlanSigned', async () => {
    const { episodeId, planId, goalIds } = draftOfActiveEpisode();
    const earlier = world.plans.seed(aPlanRow({ episode_id: episodeId, status: 'signed' }));

    const plan = await sign.execute(aStaffActor(), planId, { clientSignedOn: '2026-03-09' });

    expect(plan).toMatchObject({
      status: 'signed',
      clientSignedOn: '2026-03-09',
      signedBy: STAFF,
      signedAt: '2026-03-10T15:00:00.000Z',
      // 30 days after the signature's calendar day at the site.
      reviewDueOn: '2026-04-09',
    });
    expect(world.plans.row(earlier.id)?.status).toBe('superseded');
    expect(world.unitOfWork.published).toEqual([
      {
        type: 'TreatmentPlanSigned',
        payload: expect.objectContaining({
          planId,
          episodeId,
          version: 2,
          goalIds,
          reviewDueOn: '2026-04-09',
        }),
      },
    ]);
    expect(world.audit.entries).toEqual([expect.objectContaining({ action: 'sign', resourceId: planId })]);
  });

  it('answers 409 for a version already signed', async () => {
    const signed = world.plans.seed(aPlanRow({ status: 'signed' }));

    await expect(
      sign.execute(aStaffActor(), signed.id, { clientSignedOn: '2026-03-09' }),
    ).rejects.toMatchObject({
      code: 'invalid-transition',
    });
  });

  it('answers 422 for a client signature before the admission or after today', async () => {
    const { planId } = draftOfActiveEpisode();

    for (const clientSignedOn of ['2026-03-01', '2026-03-11']) {
      await expect(sign.execute(aStaffActor(), planId, { clientSignedOn })).rejects.toMatchObject({
        code: 'unprocessable',
        problem: { errors: [{ field: 'clientSignedOn' }] },
      });
    }
    expect(world.unitOfWork.published).toEqual([]);
  });

  it('answers 403 to a caller that is not a staff member', async () => {
    const { planId } = draftOfActiveEpisode();

    await expect(
      sign.execute(aServiceActor(), planId, { clientSignedOn: '2026-03-09' }),
    ).rejects.toMatchObject({
      code: 'permission-denied',
    });
  });
});
