import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, ProblemException, refOf, ScopedRecords } from '@stepwise/security';
import { ReferenceProjection } from '../reference/reference-projection';
import { iso, staffIdOf } from '../shared/staff';
import { type PlanReviewView, type ReviewPlanDto } from './plan.dto';
import { reviewDueOn } from './plan-review-policy';
import { PLAN, PlansRepository } from './plans.repository';

/** Records the periodic review of the signed plan (goals met) and when the next falls due; publishes TreatmentPlanReviewed. */
@Injectable()
export class ReviewPlan {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly plans: PlansRepository,
    private readonly reference: ReferenceProjection,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, id: string, body: ReviewPlanDto): Promise<PlanReviewView> {
    const reviewedBy = staffIdOf(actor);
    return this.unitOfWork.run(async (tx) => {
      const plan = await this.records.load(actor, PLAN, id, 'review', tx.manager);
      if (plan.status !== 'signed' || plan.signed_at === null) {
        throw new ProblemException('invalid-transition', {
          detail: 'Only the signed, current plan is reviewed',
        });
      }
      const reviewedAt = new Date(body.reviewedAt);
      // The client's signature date is when the plan took effect: a plan signed on paper and entered later
      // can have reviews dated before its entry (the entry time only records when it reached the system).
      const inEffectFrom = new Date(
        `${plan.client_signed_on ?? (iso(plan.signed_at) ?? '').slice(0, 10)}T00:00:00Z`,
      );
      if (reviewedAt > this.clock.now() || reviewedAt < inEffectFrom) {
        throw new ProblemException('unprocessable', {
          errors: [{ field: 'reviewedAt', problems: ['must be between the client signature date and now'] }],
        });
      }
      const foreign = body.goalsMet.filter((goal) => !plan.goal_ids.includes(goal));
      if (foreign.length > 0) {
        throw new ProblemException('unprocessable', {
          errors: [
            { field: 'goalsMet', problems: [`${foreign.length} id(s) are not goals of this plan version`] },
          ],
        });
      }
      const nextDueOn = await reviewDueOn(this.reference, tx.manager, plan.site_id, reviewedAt);
      const reviewId = randomUUID();
      await this.plans.addReview(tx.manager, {
        id: reviewId,
        planId: id,
        goalsMet: body.goalsMet,
        goalsTotal: plan.goal_ids.length,
        reviewedAt,
        reviewedBy,
        nextDueOn,
      });
      await tx.publish('TreatmentPlanReviewed', {
        planId: id,
        episodeId: plan.episode_id,
        clientId: plan.client_id,
        siteId: plan.site_id,
        version: plan.version,
        goalsMet: body.goalsMet.length,
        goalsTotal: plan.goal_ids.length,
        reviewedAt: reviewedAt.toISOString(),
        reviewedBy,
      });
      await this.records.audited(actor, 'review', PLAN, refOf(PLAN, plan), tx.manager);
      return {
        id: reviewId,
        planId: id,
        goalsMet: body.goalsMet,
        goalsTotal: plan.goal_ids.length,
        reviewedAt: reviewedAt.toISOString(),
        reviewedBy,
        nextReviewDueOn: nextDueOn,
      };
    });
  }
}
