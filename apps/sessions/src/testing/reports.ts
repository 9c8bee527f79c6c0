import { InMemoryCareRules } from './care-rules';
import { RecordingUnitOfWork } from '@stepwise/messaging';
import { randomUUID } from 'node:crypto';
import { LevelOfCare, Population } from '@stepwise/contracts';
import { type EntityManager } from 'typeorm';
import {
  type EpisodeContext,
  EpisodeFactsRepository,
  type LoadedEpisode,
} from '../progress/episode-facts.repository';
import { ReadProgress } from '../reports/read-progress';
import {
  type ClosedWeekRow,
  type LatestEpisodeRow,
  type RecommendationRow,
  ReportsRepository,
  type ScreenRow,
} from '../reports/reports.repository';
import { InMemoryScopedRecords } from '@stepwise/security';
import { InMemorySites, SITE_ID } from './doubles';

/** The recorded facts the reports read, held in memory per episode. */
export class InMemoryReports extends ReportsRepository {
  readonly latest = new Map<string, LatestEpisodeRow>();
  readonly closed = new Map<string, ClosedWeekRow[]>();

  override latestEpisode(_m: EntityManager, clientId: string): Promise<LatestEpisodeRow | undefined> {
    return Promise.resolve(this.latest.get(clientId));
  }

  override closedWeeks(_m: EntityManager, episodeId: string): Promise<ClosedWeekRow[]> {
    return Promise.resolve(this.closed.get(episodeId) ?? []);
  }

  override recommendations(): Promise<RecommendationRow[]> {
    return Promise.resolve([]);
  }

  override screens(): Promise<ScreenRow[]> {
    return Promise.resolve([]);
  }
}

/** Episode facts held in memory (undefined for an episode whose reference data has not arrived). */
export class InMemoryEpisodeFacts extends EpisodeFactsRepository {
  readonly episodes = new Map<string, EpisodeContext>();

  override load(_m: EntityManager, episodeId: string): Promise<LoadedEpisode | undefined> {
    const episode = this.episodes.get(episodeId);
    return Promise.resolve(episode && { ...episode, records: { closedWeeks: [], hasAuthorizations: false } });
  }
}

/** An adult IOP episode admitted Monday 3 March 2025 with the attendance given. */
export function anEpisode(attendance: EpisodeContext['facts']['attendance'] = []): EpisodeContext {
  return {
    episodeId: randomUUID(),
    clientId: randomUUID(),
    siteId: SITE_ID,
    networkId: randomUUID(),
    timeZone: 'America/Chicago',
    level: LevelOfCare.IntensiveOutpatient,
    population: Population.Adult,
    discharged: false,
    programTrackId: randomUUID(),
    trackExpectedStayWeeks: null,
    levelEpoch: 0,
    levelSince: null,
    levels: [{ level: LevelOfCare.IntensiveOutpatient, from: '2025-03-03T06:00:00.000Z' }],
    graceHours: 48,
    facts: {
      admittedOn: '2025-03-03',
      dischargedOn: null,
      attendance,
      screens: [],
      reviews: [],
      assessments: [],
    },
  };
}

/** The report use cases over in-memory facts. */

export function reportUseCases() {
  const uow = new RecordingUnitOfWork();
  const reports = new InMemoryReports();
  const facts = new InMemoryEpisodeFacts();
  const scoped = new InMemoryScopedRecords();
  return {
    reports,
    facts,
    audit: scoped.trail,
    progress: new ReadProgress(uow, scoped, new InMemorySites(), reports, facts, new InMemoryCareRules()),
    /** Makes `episode` its client's latest. */
    admit(episode: EpisodeContext): void {
      facts.episodes.set(episode.episodeId, episode);
      reports.latest.set(episode.clientId, {
        episode_id: episode.episodeId,
        site_id: episode.siteId,
        sobriety_since: null,
      });
    },
  };
}
