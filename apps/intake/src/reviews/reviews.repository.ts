import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type CareEvent, type LevelOfCare, type LevelOfCareEvidence } from '@stepwise/contracts';
import { type Page, type RecordKind } from '@stepwise/security';
import { DataSource, type EntityManager } from 'typeorm';
import { sitePage } from '../shared/pages';
import {
  type ReviewDeclineReason,
  type ReviewDirection,
  type ReviewListQuery,
  type ReviewStatus,
  type StayEvidence,
} from './review.dto';

export interface ReviewRow {
  id: string;
  recommendation_id: string;
  direction: ReviewDirection;
  client_id: string;
  episode_id: string;
  site_id: string;
  network_id: string | null;
  from_level: LevelOfCare;
  to_level: LevelOfCare;
  evidence: LevelOfCareEvidence | StayEvidence;
  rule_set_version: string;
  recommended_at: Date;
  status: ReviewStatus;
  decided_by: string | null;
  decided_at: Date | null;
  decline_reason: ReviewDeclineReason | null;
  program_track_id: string | null;
}

/** A recommendation from sessions, as its event carries it. */
export type Recommendation = CareEvent<'StepDownRecommended'> | CareEvent<'StepUpRecommended'>;

/** A review to open: a recommendation's, or one due at the expected length of stay. */
export interface NewReview {
  readonly recommendationId: string;
  readonly direction: ReviewDirection;
  readonly clientId: string;
  readonly episodeId: string;
  readonly siteId: string;
  readonly fromLevel: LevelOfCare;
  readonly toLevel: LevelOfCare;
  readonly evidence: LevelOfCareEvidence | StayEvidence;
  readonly ruleSetVersion: string;
  readonly recommendedAt: string;
}

/** The review a step-down or step-up recommendation opens. */
export function recommendationReview(event: Recommendation): NewReview {
  const r = event.data;
  return {
    recommendationId: r.recommendationId,
    direction: event.type === 'StepDownRecommended' ? 'step-down' : 'step-up',
    clientId: r.clientId,
    episodeId: r.episodeId,
    siteId: r.siteId,
    fromLevel: r.fromLevel,
    toLevel: r.toLevel,
    evidence: r.evidence,
    ruleSetVersion: r.ruleSetVersion,
    recommendedAt: r.recommendedAt,
  };
}

/** The review an episode's expected length of stay opens: the level is not what it is about (from = to). */
export function stayReview(event: CareEvent<'ExpectedStayReached'>): NewReview {
  const r = event.data;
  return {
    recommendationId: r.stayReviewId,
    direction: 'length-of-stay',
    clientId: r.clientId,
    episodeId: r.episodeId,
    siteId: r.siteId,
    fromLevel: r.levelOfCare,
    toLevel: r.levelOfCare,
    evidence: { expectedStayWeeks: r.expectedStayWeeks, admittedOn: r.admittedOn, reachedOn: r.reachedOn },
    ruleSetVersion: r.ruleSetId ?? 'track-expected-stay',
    recommendedAt: event.time,
  };
}

/** A clinician's decision on an open review. */
export interface ReviewDecision {
  readonly decidedBy: string;
  readonly decidedAt: Date;
}

const COLUMNS = `id, recommendation_id, direction, client_id, episode_id, site_id, network_id, from_level, to_level,
  evidence, rule_set_version, recommended_at, status, decided_by, decided_at, decline_reason, program_track_id`;

export const REVIEW: RecordKind<ReviewRow> = {
  table: 'intake.reviews',
  columns: COLUMNS,
  resourceType: 'review',
  clientIdOf: (row) => row.client_id,
};

/** All SQL of level-of-care reviews. */
@Injectable()
export class ReviewsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records the review of a recommendation once per recommendation id (a re-published recommendation opens
   * no second one); about an episode that has already ended, it is recorded closed, for the audit trail.
   */
  async open(manager: EntityManager, event: Recommendation): Promise<void> {
    await this.insert(manager, recommendationReview(event));
  }

  /**
   * The review due when an episode reaches its expected length of stay, in the same queue, once per reach:
   * the level stays (from = to) until a clinician decides — a level change, a discharge, or continuing.
   */
  async openStay(manager: EntityManager, event: CareEvent<'ExpectedStayReached'>): Promise<void> {
    await this.insert(manager, stayReview(event));
  }

  private async insert(manager: EntityManager, r: NewReview): Promise<void> {
    const [ended] = await manager.query<unknown[]>(
      `SELECT 1 FROM intake.episodes WHERE id = $1 AND status = 'discharged'`,
      [r.episodeId],
    );
    await manager.query(
      `INSERT INTO intake.reviews (id, recommendation_id, direction, client_id, episode_id, site_id, network_id,
         from_level, to_level, evidence, rule_set_version, recommended_at, status, decline_reason)
       VALUES ($1, $2, $3, $4, $5, $6,
         COALESCE((SELECT network_id FROM intake.episodes WHERE id = $5), (SELECT network_id FROM intake.sites WHERE id = $6)),
         $7, $8, $9, $10, $11,
         CASE WHEN $12 THEN 'declined' ELSE 'open' END, CASE WHEN $12 THEN 'episode-ended' END)
       ON CONFLICT (recommendation_id) DO NOTHING`,
      [
        randomUUID(),
        r.recommendationId,
        r.direction,
        r.clientId,
        r.episodeId,
        r.siteId,
        r.fromLevel,
        r.toLevel,
        JSON.stringify(r.evidence),
        r.ruleSetVersion,
        r.recommendedAt,
        ended !== undefined,
      ],
    );
  }

  async approve(
    manager: EntityManager,
    id: string,
    decision: ReviewDecision & { readonly programTrackId: string },
  ): Promise<ReviewRow> {
    const [[row]] = await manager.query<[ReviewRow[], number]>(
      `UPDATE intake.reviews SET status = 'approved', decided_by = $2, decided_at = $3, program_track_id = $4
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, decision.decidedBy, decision.decidedAt, decision.programTrackId],
    );
    if (row === undefined) throw new Error('update returned nothing');
    return row;
  }

  async decline(
    manager: EntityManager,
    id: string,
    decision: ReviewDecision & { readonly reason: ReviewDeclineReason },
  ): Promise<ReviewRow> {
    const [[row]] = await manager.query<[ReviewRow[], number]>(
      `UPDATE intake.reviews SET status = 'declined', decided_by = $2, decided_at = $3, decline_reason = $4
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, decision.decidedBy, decision.decidedAt, decision.reason],
    );
    if (row === undefined) throw new Error('update returned nothing');
    return row;
  }

  /** A page of the site's reviews, optionally of one status: its clinician queue. */
  page<T>(siteId: string, query: ReviewListQuery, view: (row: ReviewRow) => T): Promise<Page<T>> {
    return sitePage(this.dataSource.manager, siteId, query, { table: REVIEW.table, columns: COLUMNS, view });
  }
}
