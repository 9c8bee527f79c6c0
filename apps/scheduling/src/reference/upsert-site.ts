import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { Clock } from '@stepwise/platform';
import { type Actor, ProblemException } from '@stepwise/security';
import { type UpsertSiteDto } from './reference.dto';
import { ReferenceRepository } from './reference.repository';
import { type SiteView, siteView } from './reference.views';

/**
 * Creates or replaces a site and publishes its complete state (SiteUpserted, keyed by the site, so the
 * compacted topic keeps the latest). The route's site permission is the access check: a new site has no
 * record to load yet.
 */
@Injectable()
export class UpsertSite {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly repository: ReferenceRepository,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, siteId: string, body: UpsertSiteDto): Promise<SiteView> {
    return this.unitOfWork.run(async (tx) => {
      // Two first PUTs of one site must not both decide its network.
      await tx.lockKey(`scheduling:site:${siteId}`);
      const existing = await this.repository.site(siteId, tx.manager);
      const networkId = existing?.network_id ?? actor.principal.network;
      if (networkId === undefined) {
        throw new ProblemException('unprocessable', {
          detail: 'A new site needs a network: the token names none',
        });
      }
      const site = { id: siteId, networkId, updatedAt: this.clock.now() };
      const view = siteView(await this.repository.upsertSite(tx.manager, site, body));
      await tx.publish('SiteUpserted', {
        siteId: view.id,
        networkId: view.networkId,
        name: view.name,
        timeZone: view.timeZone,
        closures: view.closures,
        active: view.active,
        updatedAt: view.updatedAt,
      });
      return view;
    });
  }
}
