import { Injectable } from '@nestjs/common';
import { type Actor, refOf, ScopedRecords } from '@stepwise/security';
import { EPISODE } from '../episodes/episodes.repository';
import { PlanCipher } from './plan-cipher';
import { type PlanView } from './plan.dto';
import { planView } from './plan-view';
import { PlansRepository } from './plans.repository';

/** Every version of an episode's plan, oldest first; the listing is audited against the episode. */
@Injectable()
export class ListPlans {
  constructor(
    private readonly records: ScopedRecords,
    private readonly plans: PlansRepository,
    private readonly cipher: PlanCipher,
  ) {}

  async execute(actor: Actor, episodeId: string): Promise<PlanView[]> {
    const episode = await this.records.load(actor, EPISODE, episodeId, 'list');
    const rows = await this.plans.ofEpisode(episodeId);
    await this.records.audited(actor, 'list', { resourceType: 'plan' }, refOf(EPISODE, episode));
    return rows.map((row) => planView(row, this.cipher));
  }
}
