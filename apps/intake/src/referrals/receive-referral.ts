import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, refOf, ScopedRecords } from '@stepwise/security';
import { type CreateReferralDto, type ReferralView } from './referral.dto';
import { referralView } from './referral-view';
import { REFERRAL, ReferralsRepository } from './referrals.repository';

/** Receives a referral at a site, in status `received`; publishes ReferralReceived (no referrer details). */
@Injectable()
export class ReceiveReferral {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly referrals: ReferralsRepository,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, body: CreateReferralDto): Promise<ReferralView> {
    await this.records.assertSite(
      actor,
      { siteId: body.siteId },
      { action: 'create', resourceType: 'referral' },
    );
    const id = randomUUID();
    const receivedAt = this.clock.now();
    return this.unitOfWork.run(async (tx) => {
      const row = await this.referrals.insert(tx.manager, {
        id,
        siteId: body.siteId,
        source: body.source,
        reasonCode: body.reasonCode,
        referrer: body.referrer,
        receivedAt,
        createdBy: actor.principal.id,
      });
      await tx.publish('ReferralReceived', {
        referralId: id,
        siteId: body.siteId,
        source: body.source,
        receivedAt: receivedAt.toISOString(),
      });
      await this.records.audited(actor, 'create', REFERRAL, refOf(REFERRAL, row), tx.manager);
      return referralView(row);
    });
  }
}
