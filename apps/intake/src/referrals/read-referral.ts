import { Injectable } from '@nestjs/common';
import { type Actor, ScopedRecords } from '@stepwise/security';
import { type ReferralView } from './referral.dto';
import { referralView } from './referral-view';
import { REFERRAL } from './referrals.repository';

/** Shows one referral; the read is audited. */
@Injectable()
export class ReadReferral {
  constructor(private readonly records: ScopedRecords) {}

  async execute(actor: Actor, id: string): Promise<ReferralView> {
    return referralView(await this.records.read(actor, REFERRAL, id));
  }
}
