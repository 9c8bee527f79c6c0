import { type Transaction } from '@stepwise/messaging';
import { type Actor, ProblemException, type ScopedRecords } from '@stepwise/security';
import { lockEpisodes } from '../progress/evaluate-episode';
import { type SiteReference, type SitesRepository } from '../projections/sites.repository';
import { type DrugScreensRepository, type ScreenedEpisodeRow } from './drug-screens.repository';

/**
 * The opening of every new clinical record about an episode (a drug screen, a medication): the episode
 * locked, 404 when unknown, the caller's access to its site checked (and a denial audited) for a new record
 * of `resourceType` under `resourceId`.
 */
export async function episodeForNewRecord(
  deps: { scoped: ScopedRecords; sites: SitesRepository; episodes: DrugScreensRepository },
  tx: Transaction,
  actor: Actor,
  episodeId: string,
  record: { resourceType: string; resourceId: string },
): Promise<{
  episode: ScreenedEpisodeRow;
  site: SiteReference;
  attempt: { action: string; resourceType: string; resourceId: string; clientId: string };
}> {
  await lockEpisodes(tx, [episodeId]);
  const episode = await deps.episodes.episode(tx.manager, episodeId);
  if (episode === undefined) throw new ProblemException('not-found', { detail: 'No such episode' });
  const attempt = { action: 'create', ...record, clientId: episode.client_id };
  const site = await deps.sites.site(tx.manager, episode.site_id);
  await deps.scoped.assertSite(actor, site, attempt);
  return { episode, site, attempt };
}
