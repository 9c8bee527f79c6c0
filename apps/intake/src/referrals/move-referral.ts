import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, ProblemException, refOf, ScopedRecords } from '@stepwise/security';
import { type ReferralTransitionDto, type ReferralView } from './referral.dto';
import { canTransition } from './referral.rules';
import { referralView } from './referral-view';
import { REFERRAL, ReferralsRepository } from './referrals.repository';

/** Moves a referral on to its next status (screening, assessed) or closes it (declined, referred elsewhere). */
@Injectable()
export class MoveReferral {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly referrals: ReferralsRepository,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, id: string, body: ReferralTransitionDto): Promise<ReferralView> {
    return this.unitOfWork.run(async (tx) => {
      const row = await this.records.load(actor, REFERRAL, id, 'update', tx.manager);
      if (!canTransition(row.status, body.to)) {
        throw new ProblemException('invalid-transition', {
          detail: `A ${row.status} referral cannot become ${body.to}`,
        });
      }
      const updated = await this.referrals.setStatus(tx.manager, id, body.to, this.clock.now());
      await this.records.audited(actor, 'update', REFERRAL, refOf(REFERRAL, updated), tx.manager);
      return referralView(updated);
    });
  }
}
