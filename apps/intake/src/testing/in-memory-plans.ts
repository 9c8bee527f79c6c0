import {
  type NewPlan,
  type NewPlanReview,
  PLAN,
  type PlanRow,
  type PlanSignature,
  type PlansRepository,
} from '../plans/plans.repository';
import { type InMemoryTables } from './in-memory-tables';
import { type PublicOf } from './stand-in';

/** Treatment plan versions and their reviews, in memory. */
export class InMemoryPlans implements PublicOf<PlansRepository> {
  readonly reviews: NewPlanReview[] = [];

  constructor(private readonly tables: InMemoryTables) {}

  seed(row: PlanRow): PlanRow {
    return this.tables.put(PLAN.table, row);
  }

  row(id: string): PlanRow | undefined {
    return this.rows().find((row) => row.id === id);
  }

  async goalIds(_manager: unknown, episodeId: string): Promise<string[]> {
    return [...new Set(this.ofEpisodeNow(episodeId).flatMap((row) => row.goal_ids))];
  }

  async nextVersion(_manager: unknown, episodeId: string): Promise<number> {
    return Math.max(0, ...this.ofEpisodeNow(episodeId).map((row) => row.version)) + 1;
  }

  async insertDraft(_manager: unknown, plan: NewPlan): Promise<PlanRow> {
    return this.tables.put<PlanRow>(PLAN.table, {
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
      this.tables.put<PlanRow>(PLAN.table, { ...signed, status: 'superseded' });
    }
    return this.tables.put<PlanRow>(PLAN.table, {
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
    const plan = this.row(review.planId);
    if (plan !== undefined)
      this.tables.put<PlanRow>(PLAN.table, { ...plan, review_due_on: review.nextDueOn });
  }

  async ofEpisode(episodeId: string): Promise<PlanRow[]> {
    return this.ofEpisodeNow(episodeId);
  }

  private ofEpisodeNow(episodeId: string): PlanRow[] {
    return this.rows()
      .filter((row) => row.episode_id === episodeId)
      .sort((a, b) => a.version - b.version);
  }

  private rows(): PlanRow[] {
    // The plans table holds plan rows only: `seed`, `insertDraft` and `sign` put them there.
    return this.tables.all(PLAN.table) as PlanRow[];
  }
}
