import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, ProblemException, refOf, ScopedRecords } from '@stepwise/security';
import { EPISODE } from '../episodes/episodes.repository';
import { ReferenceProjection } from '../reference/reference-projection';
import { staffIdOf } from '../shared/staff';
import { PlanCipher } from './plan-cipher';
import { type PlanView, type SignPlanDto } from './plan.dto';
import { reviewDueOn } from './plan-review-policy';
import { planView } from './plan-view';
import { PLAN, PlansRepository } from './plans.repository';

/** Puts a draft in force, signed by client and clinician (superseding the version before); publishes TreatmentPlanSigned. */
@Injectable()
export class SignPlan {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly plans: PlansRepository,
    private readonly reference: ReferenceProjection,
    private readonly clock: Clock,
    private readonly cipher: PlanCipher,
  ) {}

  async execute(actor: Actor, id: string, body: SignPlanDto): Promise<PlanView> {
    const signedBy = staffIdOf(actor);
    return this.unitOfWork.run(async (tx) => {
      const plan = await this.records.load(actor, PLAN, id, 'sign', tx.manager);
      if (plan.status !== 'draft') {
        throw new ProblemException('invalid-transition', {
          detail: `The plan version is already ${plan.status}`,
        });
      }
      const episode = await this.records.load(actor, EPISODE, plan.episode_id, 'plan', tx.manager);
      if (episode.status !== 'active') {
        throw new ProblemException('invalid-transition', { detail: 'The episode is discharged' });
      }
      const signedAt = this.clock.now();
      if (
        body.clientSignedOn > signedAt.toISOString().slice(0, 10) ||
        body.clientSignedOn < episode.admitted_on
      ) {
        throw new ProblemException('unprocessable', {
          errors: [{ field: 'clientSignedOn', problems: ['must be between the admission and today'] }],
        });
      }
      const dueOn = await reviewDueOn(this.reference, tx.manager, plan.site_id, signedAt);
      const row = await this.plans.sign(tx.manager, plan, {
        clientSignedOn: body.clientSignedOn,
        signedBy,
        signedAt,
        reviewDueOn: dueOn,
      });
      await tx.publish('TreatmentPlanSigned', {
        planId: id,
        episodeId: row.episode_id,
        clientId: row.client_id,
        siteId: row.site_id,
        version: row.version,
        goalIds: row.goal_ids,
        signedBy,
        signedAt: signedAt.toISOString(),
        reviewDueOn: dueOn,
      });
      await this.records.audited(actor, 'sign', PLAN, refOf(PLAN, row), tx.manager);
      return planView(row, this.cipher);
    });
  }
}
