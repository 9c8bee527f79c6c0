import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  type CareEvent,
  type LevelOfCare,
  type LevelOfCareEvidence,
  LevelOfCareChangeReason,
} from '@stepwise/contracts';
import { type Transaction, UnitOfWork } from '@stepwise/messaging';
import {
  type Actor,
  AuditTrail,
  type Page,
  ProblemException,
  type RecordKind,
  refOf,
  ScopedRecords,
} from '@stepwise/security';
import { DataSource } from 'typeorm';
import { Clock } from '@stepwise/platform';
import { ChangeClinicalLevel } from '../episodes/change-clinical-level';
import { assertProgramTrack } from '../episodes/episode-reference';
import { EPISODE } from '../episodes/episodes.repository';
import { ReferenceProjection } from '../reference/reference-projection';
import { sitePage } from '../shared/pages';
import { iso, staffIdOf } from '../shared/staff';
import {
  type ApproveReviewDto,
  type DeclineReviewDto,
  type ReviewDeclineReason,
  type ReviewListQuery,
  ReviewStatus,
  type ReviewView,
} from './review.dto';

interface ReviewRow {
  id: string;
  recommendation_id: string;
  direction: 'step-down' | 'step-up';
  client_id: string;
  episode_id: string;
  site_id: string;
  network_id: string | null;
  from_level: LevelOfCare;
  to_level: LevelOfCare;
  evidence: LevelOfCareEvidence;
  rule_set_version: string;
  recommended_at: Date;
  status: ReviewStatus;
  decided_by: string | null;
  decided_at: Date | null;
  decline_reason: ReviewDeclineReason | null;
  program_track_id: string | null;
}

const COLUMNS = `id, recommendation_id, direction, client_id, episode_id, site_id, network_id, from_level, to_level,
  evidence, rule_set_version, recommended_at, status, decided_by, decided_at, decline_reason, program_track_id`;

const REVIEW: RecordKind<ReviewRow> = {
  table: 'intake.reviews',
  columns: COLUMNS,
  resourceType: 'review',
  clientIdOf: (row) => row.client_id,
};

const view = (row: ReviewRow): ReviewView => ({
  id: row.id,
  recommendationId: row.recommendation_id,
  direction: row.direction,
  clientId: row.client_id,
  episodeId: row.episode_id,
  siteId: row.site_id,
  fromLevel: row.from_level,
  toLevel: row.to_level,
  evidence: row.evidence,
  ruleSetVersion: row.rule_set_version,
  recommendedAt: row.recommended_at.toISOString(),
  status: row.status,
  decidedBy: row.decided_by,
  decidedAt: iso(row.decided_at),
  declineReason: row.decline_reason,
  programTrackId: row.program_track_id,
});

/**
 * Level-of-care reviews: a step-down or step-up recommendation from sessions opens one in the clinician
 * queue; a clinician approves it (with the track to move to) — the clinical level changes — or declines it
 * with a reason. Step-down is never automatic.
 */
@Injectable()
export class ReviewsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly audit: AuditTrail,
    private readonly changeClinicalLevel: ChangeClinicalLevel,
    private readonly reference: ReferenceProjection,
    private readonly clock: Clock,
  ) {}

  /**
   * Opens the review of a recommendation, inside the consumer's inbox transaction. Keyed by the
   * recommendation id, so a recommendation re-published under a new event id still opens one review.
   */
  async open(
    event: CareEvent<'StepDownRecommended'> | CareEvent<'StepUpRecommended'>,
    tx: Transaction,
  ): Promise<void> {
    const r = event.data;
    // A recommendation about an episode that has already ended is recorded, closed, for the audit trail.
    const [ended] = await tx.manager.query<unknown[]>(
      `SELECT 1 FROM intake.episodes WHERE id = $1 AND status = 'discharged'`,
      [r.episodeId],
    );
    await tx.manager.query(
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
        event.type === 'StepDownRecommended' ? 'step-down' : 'step-up',
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

  async approve(actor: Actor, id: string, body: ApproveReviewDto): Promise<ReviewView> {
    const decidedBy = staffIdOf(actor);
    return this.unitOfWork.run(async (tx) => {
      const review = await this.decidable(actor, id, 'approve', tx);
      const episode = await this.records.load(actor, EPISODE, review.episode_id, 'update', tx.manager);
      if (episode.status !== 'active' || episode.clinical_level !== review.from_level) {
        throw new ProblemException('invalid-transition', {
          detail: 'The episode has ended or its clinical level changed since the recommendation; decline it',
        });
      }
      await assertProgramTrack(
        this.reference,
        tx.manager,
        body.programTrackId,
        episode.site_id,
        episode.population,
        review.to_level,
      );
      const decidedAt = this.clock.now();
      await this.changeClinicalLevel.execute(tx, episode, {
        toLevel: review.to_level,
        programTrackId: body.programTrackId,
        reasonCode:
          review.direction === 'step-down'
            ? LevelOfCareChangeReason.StepDown
            : LevelOfCareChangeReason.StepUp,
        decidedBy,
        effectiveAt: decidedAt,
        recommendationId: review.recommendation_id,
      });
      const [[row]] = await tx.manager.query<[ReviewRow[], number]>(
        `UPDATE intake.reviews SET status = 'approved', decided_by = $2, decided_at = $3, program_track_id = $4
          WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, decidedBy, decidedAt, body.programTrackId],
      );
      if (row === undefined) throw new Error('update returned nothing');
      await this.records.audited(actor, 'approve', REVIEW, refOf(REVIEW, row), tx.manager);
      return view(row);
    });
  }

  async decline(actor: Actor, id: string, body: DeclineReviewDto): Promise<ReviewView> {
    const decidedBy = staffIdOf(actor);
    return this.unitOfWork.run(async (tx) => {
      await this.decidable(actor, id, 'decline', tx);
      const [[row]] = await tx.manager.query<[ReviewRow[], number]>(
        `UPDATE intake.reviews SET status = 'declined', decided_by = $2, decided_at = $3, decline_reason = $4
          WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, decidedBy, this.clock.now(), body.reasonCode],
      );
      if (row === undefined) throw new Error('update returned nothing');
      await this.records.audited(actor, 'decline', REVIEW, refOf(REVIEW, row), tx.manager);
      return view(row);
    });
  }

  private async decidable(actor: Actor, id: string, action: string, tx: Transaction): Promise<ReviewRow> {
    const review = await this.records.load(actor, REVIEW, id, action, tx.manager);
    if (review.status !== ReviewStatus.Open) {
      throw new ProblemException('invalid-transition', { detail: `The review is already ${review.status}` });
    }
    return review;
  }

  async read(actor: Actor, id: string): Promise<ReviewView> {
    return view(await this.records.read(actor, REVIEW, id));
  }

  async list(actor: Actor, siteId: string, query: ReviewListQuery): Promise<Page<ReviewView>> {
    const page = await sitePage(this.dataSource.manager, siteId, query, {
      table: 'intake.reviews',
      columns: COLUMNS,
      view,
    });
    await this.audit.record(actor, { action: 'list', resourceType: 'review', siteId, outcome: 'allowed' });
    return page;
  }
}
