import { type LevelOfCare, type Population } from '@stepwise/contracts';
import { startOfLocalDay } from '@stepwise/care-rules';
import { ProblemException } from '@stepwise/security';
import { type EntityManager } from 'typeorm';
import { type ReferenceProjection } from '../reference/reference-projection';

/** What an episode needs of scheduling's projected sites and tracks. */
export type EpisodeReference = Pick<ReferenceProjection, 'site' | 'track'>;

/** The site's midnight of a calendar date, as an instant (UTC when the site is not projected yet). */
export const startOfSiteDay = (date: string, timeZone: string | undefined): Date =>
  startOfLocalDay(date, timeZone ?? 'UTC');

/** A track the episode may be in: projected from scheduling, active, at the site, for the population (and level). */
export async function assertProgramTrack(
  reference: EpisodeReference,
  manager: EntityManager,
  trackId: string,
  siteId: string,
  population: Population,
  level?: LevelOfCare,
): Promise<void> {
  const track = await reference.track(trackId, manager);
  const problem =
    track === undefined || !track.active || track.siteId !== siteId
      ? 'no active program track with this id at the site'
      : track.population !== population
        ? `the track is not for the ${population} population`
        : level !== undefined && track.levelOfCare !== level
          ? `the track is not at level ${level}`
          : undefined;
  if (problem !== undefined) {
    throw new ProblemException('unknown-program-track', {
      errors: [{ field: 'programTrackId', problems: [problem] }],
    });
  }
}
