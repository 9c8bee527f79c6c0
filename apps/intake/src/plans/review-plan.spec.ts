import { STAFF, aStaffActor } from '../testing/factories';
import { aPlanRow } from '../testing/plan-factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { ReviewPlan } from './review-plan';

describe('ReviewPlan', () => {
  let world: UnitWorld;
  let review: ReviewPlan;

  beforeEach(() => {
    world = unitWorld();
    const d = injected(world);
    review = new ReviewPlan(d.planChanges, d.records, d.plans);
  });

  const signedPlan = (): ReturnType<typeof aPlanRow> =>
    world.plans.seed(
      aPlanRow({
        status: 'signed',
        client_signed_on: '2026-03-02',
        signed_at: new Date('2026-03-04T15:00:00Z'),
        goal_ids: ['8d1f5c3e-0b1a-4c2d-9e3f-4a5b6c7d8e9f', '9e2a6d4f-1c2b-4d3e-8f4a-5b6c7d8e9fa0'],
      }),
    );

  it('records the goals met, moves the next review 30 site days on, and publishes TreatmentPlanReviewed', async () => {
    const plan = signedPlan();
    const met = [plan.goal_ids[0] as string];

    const result = await review.execute(aStaffActor(), plan.id, {
      goalsMet: met,
      reviewedAt: '2026-03-03T14:00:00Z',
    });

    expect(result).toMatchObject({
      planId: plan.id,
      goalsMet: met,
      goalsTotal: 2,
      reviewedBy: STAFF,
      nextReviewDueOn: '2026-04-02',
    });
    expect(world.plans.row(plan.id)?.review_due_on).toBe('2026-04-02');
    expect(world.unitOfWork.published).toEqual([
      {
        type: 'TreatmentPlanReviewed',
        payload: expect.objectContaining({ planId: plan.id, goalsMet: 1, goalsTotal: 2 }),
      },
    ]);
    expect(world.audit.entries).toEqual([expect.objectContaining({ action: 'review', resourceId: plan.id })]);
  });

  it('answers 422 for a review before the client signed or in the future', async () => {
    const plan = signedPlan();

    for (const reviewedAt of ['2026-03-01T23:00:00Z', '2026-03-10T15:00:01Z']) {
      await expect(
        review.execute(aStaffActor(), plan.id, { goalsMet: [], reviewedAt }),
      ).rejects.toMatchObject({
        code: 'unprocessable',
        problem: { errors: [{ field: 'reviewedAt' }] },
      });
    }
  });

  it('answers 422 for goals met that are not goals of this version', async () => {
    const plan = signedPlan();

    await expect(
      review.execute(aStaffActor(), plan.id, {
        goalsMet: ['00000000-0000-4000-8000-000000000000'],
        reviewedAt: '2026-03-09T12:00:00Z',
      }),
    ).rejects.toMatchObject({ code: 'unprocessable', problem: { errors: [{ field: 'goalsMet' }] } });
    expect(world.plans.reviews).toEqual([]);
  });

  it('answers 409 for a draft', async () => {
    const draft = world.plans.seed(aPlanRow());

    await expect(
      review.execute(aStaffActor(), draft.id, { goalsMet: [], reviewedAt: '2026-03-09T12:00:00Z' }),
    ).rejects.toMatchObject({ code: 'invalid-transition' });
  });
});
