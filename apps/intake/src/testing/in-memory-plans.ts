import {
  type NewPlan,
  type NewPlanReview,
  PLAN,
  type PlanRow,
  type PlanSignature,
  type PlansRepository,
} from '../plans/plans.repository';
import { InMemoryRows } from './in-memory-rows';
import { type InMemoryTables } from './in-memory-tables';
import { type PublicOf } from './stand-in';

/** Treatment plan versions and their reviews, in memory. */
export class InMemoryPlans extends InMemoryRows<PlanRow> implements PublicOf<PlansRepository> {
  readonly reviews: NewPlanReview[] = [];

  constructor(tables: InMemoryTables) {
    super(tables, PLAN);
  }

  async goalIds(_manager: unknown, episodeId: string): Promise<string[]> {
    return [...new Set(this.ofEpisodeNow(episodeId).flatMap((row) => row.goal_ids))];
  }

  async nextVersion(_manager: unknown, episodeId: string): Promise<number> {
    return Math.max(0, ...this.ofEpisodeNow(episodeId).map((row) => row.version)) + 1;
  }

  async insertDraft(_manager: unknown, plan: NewPlan): Promise<PlanRow> {
    return this.seed({
      id: plan.id,
      episode_id: plan.episodeId,
      client_id: plan.clientId,
      site_id: plan.siteId,
      network_id: plan.networkId,
      version: plan.version,
      status: 'draft',
      problems: null,
      problems_sealed: plan.problemsSealed,
      problems_key: plan.problemsKey,
      kek_id: plan.kekId,
      goal_ids: plan.goalIds,
      client_signed_on: null,
      signed_by: null,
      signed_at: null,
      review_due_on: null,
    });
  }

  async sign(_manager: unknown, plan: PlanRow, signature: PlanSignature): Promise<PlanRow> {
    for (const signed of this.ofEpisodeNow(plan.episode_id).filter((row) => row.status === 'signed')) {
      this.change(signed.id, { status: 'superseded' });
    }
    return this.seed({
      ...plan,
      status: 'signed',
      client_signed_on: signature.clientSignedOn,
      signed_by: signature.signedBy,
      signed_at: signature.signedAt,
      review_due_on: signature.reviewDueOn,
    });
  }

  async addReview(_manager: unknown, review: NewPlanReview): Promise<void> {
    this.reviews.push(review);
    if (this.row(review.planId) !== undefined)
      this.change(review.planId, { review_due_on: review.nextDueOn });
  }

  async ofEpisode(episodeId: string): Promise<PlanRow[]> {
    return this.ofEpisodeNow(episodeId);
  }

  private ofEpisodeNow(episodeId: string): PlanRow[] {
    return this.rows()
      .filter((row) => row.episode_id === episodeId)
      .sort((a, b) => a.version - b.version);
  }
}
