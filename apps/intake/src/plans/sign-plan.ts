import { Injectable } from '@nestjs/common';
import { type Actor, ProblemException, refOf, ScopedRecords } from '@stepwise/security';
import { EPISODE } from '../episodes/episodes.repository';
import { PlanCipher } from './plan-cipher';
import { type PlanView, type SignPlanDto } from './plan.dto';
import { PlanChanges } from './plan-changes';
import { planView } from './plan-view';
import { PLAN, type PlanRow, PlansRepository } from './plans.repository';

/** Only a draft is signed: a signed version is changed by drafting the next one. */
const refusal = (plan: PlanRow): string | undefined =>
  plan.status === 'draft' ? undefined : `The plan version is already ${plan.status}`;

/** Puts a draft in force, signed by client and clinician (superseding the version before); publishes TreatmentPlanSigned. */
@Injectable()
export class SignPlan {
  constructor(
    private readonly changes: PlanChanges,
    private readonly records: ScopedRecords,
    private readonly plans: PlansRepository,
    private readonly cipher: PlanCipher,
  ) {}

  async execute(actor: Actor, id: string, body: SignPlanDto): Promise<PlanView> {
    return this.changes.run(actor, { id, action: 'sign', refusal }, async (opened) => {
      const { tx, plan, staffId: signedBy, now: signedAt } = opened;
      const episode = await this.records.load(actor, EPISODE, plan.episode_id, 'plan', tx.manager);
      if (episode.status !== 'active') {
        throw new ProblemException('invalid-transition', { detail: 'The episode is discharged' });
      }
      if (
        body.clientSignedOn > signedAt.toISOString().slice(0, 10) ||
        body.clientSignedOn < episode.admitted_on
      ) {
        throw new ProblemException('unprocessable', {
          errors: [{ field: 'clientSignedOn', problems: ['must be between the admission and today'] }],
        });
      }
      const dueOn = await opened.reviewDueAfter(signedAt);
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
