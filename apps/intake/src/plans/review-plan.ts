import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type Actor, ProblemException, refOf, ScopedRecords } from '@stepwise/security';
import { iso } from '../shared/staff';
import { type PlanReviewView, type ReviewPlanDto } from './plan.dto';
import { PlanChanges } from './plan-changes';
import { PLAN, type PlanRow, PlansRepository } from './plans.repository';

/** Only the signed version in force is reviewed. */
const refusal = (plan: PlanRow): string | undefined =>
  plan.status !== 'signed' || plan.signed_at === null
    ? 'Only the signed, current plan is reviewed'
    : undefined;

/** Records the periodic review of the signed plan (goals met) and when the next falls due; publishes TreatmentPlanReviewed. */
@Injectable()
export class ReviewPlan {
  constructor(
    private readonly changes: PlanChanges,
    private readonly records: ScopedRecords,
    private readonly plans: PlansRepository,
  ) {}

  async execute(actor: Actor, id: string, body: ReviewPlanDto): Promise<PlanReviewView> {
    return this.changes.run(actor, { id, action: 'review', refusal }, async (opened) => {
      const { tx, plan, staffId: reviewedBy } = opened;
      const reviewedAt = new Date(body.reviewedAt);
      // The client's signature date is when the plan took effect: a plan signed on paper and entered later
      // can have reviews dated before its entry (the entry time only records when it reached the system).
      const inEffectFrom = new Date(
        `${plan.client_signed_on ?? (iso(plan.signed_at) ?? '').slice(0, 10)}T00:00:00Z`,
      );
      if (reviewedAt > opened.now || reviewedAt < inEffectFrom) {
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
      const nextDueOn = await opened.reviewDueAfter(reviewedAt);
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
