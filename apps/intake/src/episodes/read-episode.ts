import { Injectable } from '@nestjs/common';
import { type Actor, ScopedRecords } from '@stepwise/security';
import { type EpisodeView } from './episode.dto';
import { episodeView } from './episode-view';
import { EPISODE, EpisodesRepository } from './episodes.repository';

/** Shows an episode with its clinical and authorized level history; the read is audited. */
@Injectable()
export class ReadEpisode {
  constructor(
    private readonly records: ScopedRecords,
    private readonly episodes: EpisodesRepository,
  ) {}

  async execute(actor: Actor, id: string): Promise<EpisodeView> {
    await this.records.read(actor, EPISODE, id);
    return episodeView(await this.episodes.find(id));
  }
}
