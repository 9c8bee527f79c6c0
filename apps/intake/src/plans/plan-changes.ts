import { Injectable } from '@nestjs/common';
import { type Transaction, UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, ProblemException, ScopedRecords } from '@stepwise/security';
import { ReferenceProjection } from '../reference/reference-projection';
import { staffIdOf } from '../shared/staff';
import { reviewDueOn } from './plan-review-policy';
import { PLAN, type PlanRow } from './plans.repository';

/** A change of a plan version, once opened. */
export interface OpenedPlanChange {
  readonly tx: Transaction;
  /** The version, locked for the transaction. */
  readonly plan: PlanRow;
  /** The staff id of the caller (the only kind of caller who changes a plan). */
  readonly staffId: string;
  /** Now, as the change is made. */
  readonly now: Date;
  /** When the plan's next review falls due after `at` (the review policy, at the plan's site). */
  reviewDueAfter(at: Date): Promise<string>;
}

/** Which version is changed, for what action, and why it would refuse (undefined: the version allows it). */
export interface PlanChange {
  readonly id: string;
  readonly action: string;
  readonly refusal: (plan: PlanRow) => string | undefined;
}

/**
 * What every change of one plan version opens with (signing, reviewing): only a staff member changes a plan
 * (403 otherwise); in one transaction the version is loaded for the action (404 as any record, the row locked)
 * and refused with 409 invalid-transition when it does not allow the change. The change then runs in that
 * transaction.
 */
@Injectable()
export class PlanChanges {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly reference: ReferenceProjection,
    private readonly clock: Clock,
  ) {}

  run<T>(actor: Actor, change: PlanChange, work: (opened: OpenedPlanChange) => Promise<T>): Promise<T> {
    const staffId = staffIdOf(actor);
    return this.unitOfWork.run(async (tx) => {
      const plan = await this.records.load(actor, PLAN, change.id, change.action, tx.manager);
      const refusal = change.refusal(plan);
      if (refusal !== undefined) throw new ProblemException('invalid-transition', { detail: refusal });
      return work({
        tx,
        plan,
        staffId,
        now: this.clock.now(),
        reviewDueAfter: (at) => reviewDueOn(this.reference, tx.manager, plan.site_id, at),
      });
    });
  }
}
