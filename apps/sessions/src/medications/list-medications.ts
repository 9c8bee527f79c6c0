import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { type Actor, ProblemException, ScopedRecords } from '@stepwise/security';
import { DrugScreensRepository } from '../drug-screens/drug-screens.repository';
import { SitesRepository } from '../projections/sites.repository';
import { type MedicationView } from './medication.dto';
import { MedicationsRepository } from './medications.repository';

/** An episode's medication list (site-scoped; the read is audited as PHI). */
@Injectable()
export class ListMedications {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly scoped: ScopedRecords,
    private readonly sites: SitesRepository,
    private readonly episodes: DrugScreensRepository,
    private readonly medications: MedicationsRepository,
  ) {}

  async execute(actor: Actor, episodeId: string): Promise<MedicationView[]> {
    return this.uow.run(async (tx) => {
      const episode = await this.episodes.episode(tx.manager, episodeId);
      if (episode === undefined) throw new ProblemException('not-found', { detail: 'No such episode' });
      const attempt = {
        action: 'read',
        resourceType: 'medication',
        resourceId: episodeId,
        clientId: episode.client_id,
      };
      await this.scoped.assertSite(actor, await this.sites.site(tx.manager, episode.site_id), attempt);
      const list = await this.medications.ofEpisode(tx.manager, episodeId);
      const record = { id: episodeId, siteId: episode.site_id, clientId: episode.client_id };
      await this.scoped.audited(actor, 'read', attempt, record, tx.manager);
      return list;
    });
  }
}
