import { Injectable } from '@nestjs/common';
import { type Actor, ScopedRecords } from '@stepwise/security';
import { PlanCipher } from './plan-cipher';
import { type PlanView } from './plan.dto';
import { planView } from './plan-view';
import { PLAN } from './plans.repository';

/** Shows one plan version, its text opened; the read is audited. */
@Injectable()
export class ReadPlan {
  constructor(
    private readonly records: ScopedRecords,
    private readonly cipher: PlanCipher,
  ) {}

  async execute(actor: Actor, id: string): Promise<PlanView> {
    return planView(await this.records.read(actor, PLAN, id), this.cipher);
  }
}
