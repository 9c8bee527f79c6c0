import { randomUUID } from 'node:crypto';
import { type CareEvent, Confidentiality, LevelOfCare } from '@stepwise/contracts';
import { ReviewStatus } from '../reviews/review.dto';
import { type ReviewRow } from '../reviews/reviews.repository';
import { type EpisodeRow } from '../episodes/episodes.repository';
import { NETWORK } from './factories';

/** The evidence sessions attaches to a recommendation. */
const EVIDENCE = {
  weeksInProgram: 8,
  attendanceRate: 0.95,
  consecutiveNegativeScreens: 4,
  recentPositiveScreens: 0,
  consecutiveAbsences: 0,
  goalsMet: 2,
  goalsTotal: 3,
  latestAssessmentId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  dimensionRatings: [1, 1, 1, 1, 1, 1],
};

/** Sessions' recommendation to step the episode down from IOP to outpatient, as the consumer decodes it. */
export function aStepDown(episode: EpisodeRow): CareEvent<'StepDownRecommended'> {
  return {
    type: 'StepDownRecommended',
    version: 1,
    ceType: 'care.sessions.StepDownRecommended.v1',
    id: randomUUID(),
    source: 'sessions',
    time: '2026-03-09T12:00:00Z',
    key: episode.client_id,
    siteId: episode.site_id,
    correlationId: randomUUID(),
    causationId: undefined,
    confidentiality: Confidentiality.Part2,
    traceparent: undefined,
    data: {
      recommendationId: randomUUID(),
      clientId: episode.client_id,
      episodeId: episode.id,
      siteId: episode.site_id,
      fromLevel: LevelOfCare.IntensiveOutpatient,
      toLevel: LevelOfCare.Outpatient,
      evidence: EVIDENCE,
      ruleSetVersion: 'step-down@1',
      recommendedAt: '2026-03-09T12:00:00Z',
    },
  };
}

/** Sessions' ExpectedStayReached for the episode: 12 weeks of adult IOP, reached on 2026-05-25. */
export function aStayReached(episode: EpisodeRow): CareEvent<'ExpectedStayReached'> {
  const recommendation = aStepDown(episode);
  return {
    ...recommendation,
    type: 'ExpectedStayReached',
    ceType: 'care.sessions.ExpectedStayReached.v1',
    data: {
      stayReviewId: randomUUID(),
      clientId: episode.client_id,
      episodeId: episode.id,
      siteId: episode.site_id,
      programTrackId: episode.program_track_id,
      levelOfCare: LevelOfCare.IntensiveOutpatient,
      admittedOn: '2026-03-02',
      expectedStayWeeks: 12,
      reachedOn: '2026-05-25',
      ruleSetId: 'illustrative-program-shape@1',
    },
  };
}

/** An open step-down review (IOP → outpatient) of the episode. */
export function anOpenReview(episode: EpisodeRow, overrides: Partial<ReviewRow> = {}): ReviewRow {
  return {
    id: randomUUID(),
    recommendation_id: randomUUID(),
    direction: 'step-down',
    client_id: episode.client_id,
    episode_id: episode.id,
    site_id: episode.site_id,
    network_id: NETWORK,
    from_level: LevelOfCare.IntensiveOutpatient,
    to_level: LevelOfCare.Outpatient,
    evidence: EVIDENCE,
    rule_set_version: 'step-down@1',
    recommended_at: new Date('2026-03-09T12:00:00Z'),
    status: ReviewStatus.Open,
    decided_by: null,
    decided_at: null,
    decline_reason: null,
    program_track_id: null,
    ...overrides,
  };
}
