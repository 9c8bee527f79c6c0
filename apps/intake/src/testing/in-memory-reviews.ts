import { randomUUID } from 'node:crypto';
import { type CareEvent } from '@stepwise/contracts';
import { type Page } from '@stepwise/security';
import { EPISODE, type EpisodeRow } from '../episodes/episodes.repository';
import { ReviewDeclineReason, type ReviewListQuery, ReviewStatus } from '../reviews/review.dto';
import {
  type NewReview,
  type Recommendation,
  REVIEW,
  type ReviewDecision,
  type ReviewRow,
  type ReviewsRepository,
  recommendationReview,
  stayReview,
} from '../reviews/reviews.repository';
import { InMemoryRows } from './in-memory-rows';
import { type InMemoryTables } from './in-memory-tables';
import { type PublicOf } from './stand-in';

/** Level-of-care reviews in memory, with the repository's rules: one per recommendation, closed for an ended episode. */
export class InMemoryReviews extends InMemoryRows<ReviewRow> implements PublicOf<ReviewsRepository> {
  constructor(tables: InMemoryTables) {
    super(tables, REVIEW);
  }

  async open(_manager: unknown, event: Recommendation): Promise<void> {
    this.insert(recommendationReview(event));
  }

  async openStay(_manager: unknown, event: CareEvent<'ExpectedStayReached'>): Promise<void> {
    this.insert(stayReview(event));
  }

  private insert(r: NewReview): void {
    if (this.rows().some((row) => row.recommendation_id === r.recommendationId)) return;
    const episode = this.tables.get(EPISODE.table, r.episodeId) as EpisodeRow | undefined;
    const ended = episode?.status === 'discharged';
    this.seed({
      id: randomUUID(),
      recommendation_id: r.recommendationId,
      direction: r.direction,
      client_id: r.clientId,
      episode_id: r.episodeId,
      site_id: r.siteId,
      network_id: episode?.network_id ?? null,
      from_level: r.fromLevel,
      to_level: r.toLevel,
      evidence: r.evidence,
      rule_set_version: r.ruleSetVersion,
      recommended_at: new Date(r.recommendedAt),
      status: ended ? ReviewStatus.Declined : ReviewStatus.Open,
      decided_by: null,
      decided_at: null,
      decline_reason: ended ? ReviewDeclineReason.EpisodeEnded : null,
      program_track_id: null,
    });
  }

  async approve(
    _manager: unknown,
    id: string,
    decision: ReviewDecision & { readonly programTrackId: string },
  ): Promise<ReviewRow> {
    return this.change(id, {
      status: ReviewStatus.Approved,
      decided_by: decision.decidedBy,
      decided_at: decision.decidedAt,
      program_track_id: decision.programTrackId,
    });
  }

  async decline(
    _manager: unknown,
    id: string,
    decision: ReviewDecision & { readonly reason: ReviewDeclineReason },
  ): Promise<ReviewRow> {
    return this.change(id, {
      status: ReviewStatus.Declined,
      decided_by: decision.decidedBy,
      decided_at: decision.decidedAt,
      decline_reason: decision.reason,
    });
  }

  async page<T>(siteId: string, query: ReviewListQuery, view: (row: ReviewRow) => T): Promise<Page<T>> {
    return this.onePage(
      (row) => row.site_id === siteId && (query.status === undefined || row.status === query.status),
      view,
    );
  }
}
