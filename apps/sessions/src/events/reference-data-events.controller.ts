import { Ctx, Payload } from '@nestjs/microservices';
import { type EventPayload } from '@stepwise/contracts';
import { EventsController, type InboxContext, OnEvent } from '@stepwise/messaging';
import { CareRulesRepository } from '../projections/care-rules.repository';
import { ProjectionsRepository } from '../projections/projections.repository';

/**
 * The reference data sessions consumes: site time zones, program tracks and the care rule sets in force,
 * projected in the inbox transaction.
 */
@EventsController()
export class ReferenceDataEvents {
  constructor(
    private readonly projections: ProjectionsRepository,
    private readonly careRules: CareRulesRepository,
  ) {}

  @OnEvent('SiteUpserted')
  site(
    @Payload() site: EventPayload<'SiteUpserted'>,
    @Ctx() { tx }: InboxContext<'SiteUpserted'>,
  ): Promise<void> {
    return this.projections.upsertSite(tx.manager, site);
  }

  @OnEvent('ProgramTrackUpserted')
  track(
    @Payload() track: EventPayload<'ProgramTrackUpserted'>,
    @Ctx() { tx }: InboxContext<'ProgramTrackUpserted'>,
  ): Promise<void> {
    return this.projections.upsertTrack(tx.manager, track);
  }

  @OnEvent('CareRuleSetLoaded')
  ruleSet(
    @Payload() set: EventPayload<'CareRuleSetLoaded'>,
    @Ctx() { tx }: InboxContext<'CareRuleSetLoaded'>,
  ): Promise<void> {
    return this.careRules.project(tx.manager, set);
  }
}
