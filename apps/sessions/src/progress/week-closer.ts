import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { DataSource } from 'typeorm';
import { SessionsConfig } from '../config/sessions.config';
import { EpisodeFactsRepository } from './episode-facts.repository';
import { EvaluateEpisode } from './evaluate-episode';

/**
 * Closes the weeks that ended without any later-dated fact: every WEEK_CLOSE_INTERVAL_MS it re-evaluates the
 * open episodes, one transaction each. Safe on every replica at once: evaluation locks the episode and each
 * derived fact is inserted (and published) at most once.
 */
@Injectable()
export class WeekCloser implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WeekCloser.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly dataSource: DataSource,
    private readonly episodes: EpisodeFactsRepository,
    private readonly evaluate: EvaluateEpisode,
    private readonly config: SessionsConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.WEEK_CLOSE_INTERVAL_MS === 0) return;
    this.timer = setInterval(() => {
      this.running ??= this.closeDue()
        .catch((error: unknown) => this.logger.warn(`Week closing failed: ${String(error)}`))
        .finally(() => (this.running = undefined));
    }, this.config.WEEK_CLOSE_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Evaluates every open episode as of `now` (the clock by default). */
  async closeDue(now?: Date): Promise<void> {
    for (const episodeId of await this.episodes.openEpisodes(this.dataSource.manager)) {
      await this.uow.run((tx) => this.evaluate.run(tx, episodeId, now));
    }
  }
}
