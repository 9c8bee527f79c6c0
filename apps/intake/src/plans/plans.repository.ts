import { Injectable } from '@nestjs/common';
import { type RecordKind } from '@stepwise/security';
import { DataSource, type EntityManager } from 'typeorm';
import { type ProblemDto } from './plan.dto';

export interface PlanRow {
  id: string;
  episode_id: string;
  client_id: string;
  site_id: string;
  network_id: string | null;
  version: number;
  status: 'draft' | 'signed' | 'superseded';
  /** Plans written before their text was encrypted (EncryptPlanText1764300000000); null since. */
  problems: ProblemDto[] | null;
  problems_sealed: Buffer | null;
  problems_key: Buffer | null;
  kek_id: string | null;
  goal_ids: string[];
  client_signed_on: string | null;
  signed_by: string | null;
  signed_at: Date | null;
  review_due_on: string | null;
}

/** A new draft version of an episode's plan, its text already sealed. */
export interface NewPlan {
  readonly id: string;
  readonly episodeId: string;
  readonly clientId: string;
  readonly siteId: string;
  readonly networkId: string | null;
  readonly version: number;
  readonly problemsSealed: Buffer;
  readonly problemsKey: Buffer;
  readonly kekId: string;
  readonly goalIds: string[];
  readonly createdBy: string;
}

/** The signatures that put a draft in force, and when it is first reviewed. */
export interface PlanSignature {
  readonly clientSignedOn: string;
  readonly signedBy: string;
  readonly signedAt: Date;
  readonly reviewDueOn: string;
}

/** A periodic review of a signed plan. */
export interface NewPlanReview {
  readonly id: string;
  readonly planId: string;
  readonly goalsMet: string[];
  readonly goalsTotal: number;
  readonly reviewedAt: Date;
  readonly reviewedBy: string;
  readonly nextDueOn: string;
}

const COLUMNS = `id, episode_id, client_id, site_id, network_id, version, status, problems, problems_sealed,
  problems_key, kek_id, goal_ids,
  to_char(client_signed_on, 'YYYY-MM-DD') AS client_signed_on, signed_by, signed_at,
  to_char(review_due_on, 'YYYY-MM-DD') AS review_due_on`;

export const PLAN: RecordKind<PlanRow> = {
  table: 'intake.treatment_plans',
  columns: COLUMNS,
  resourceType: 'plan',
  clientIdOf: (row) => row.client_id,
};

/** All SQL of treatment plans and their reviews. */
@Injectable()
export class PlansRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every goal id of the episode's plan versions so far. */
  async goalIds(manager: EntityManager, episodeId: string): Promise<string[]> {
    const [earlier] = await manager.query<{ goal_ids: string[] | null }[]>(
      `SELECT array_agg(DISTINCT g) AS goal_ids FROM intake.treatment_plans, unnest(goal_ids) AS g
        WHERE episode_id = $1`,
      [episodeId],
    );
    return earlier?.goal_ids ?? [];
  }

  /** The version number a new draft of the episode's plan gets. */
  async nextVersion(manager: EntityManager, episodeId: string): Promise<number> {
    const [row] = await manager.query<{ version: number | null }[]>(
      `SELECT max(version) AS version FROM intake.treatment_plans WHERE episode_id = $1`,
      [episodeId],
    );
    return (row?.version ?? 0) + 1;
  }

  async insertDraft(manager: EntityManager, plan: NewPlan): Promise<PlanRow> {
    const [row] = await manager.query<PlanRow[]>(
      `INSERT INTO intake.treatment_plans (id, episode_id, client_id, site_id, network_id, version, status,
         problems_sealed, problems_key, kek_id, goal_ids, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, $9, $10, $11) RETURNING ${COLUMNS}`,
      [
        plan.id,
        plan.episodeId,
        plan.clientId,
        plan.siteId,
        plan.networkId,
        plan.version,
        plan.problemsSealed,
        plan.problemsKey,
        plan.kekId,
        plan.goalIds,
        plan.createdBy,
      ],
    );
    if (row === undefined) throw new Error('insert returned nothing');
    return row;
  }

  /** Signs the draft, superseding the version signed before it. */
  async sign(manager: EntityManager, plan: PlanRow, signature: PlanSignature): Promise<PlanRow> {
    await manager.query(
      `UPDATE intake.treatment_plans SET status = 'superseded' WHERE episode_id = $1 AND status = 'signed'`,
      [plan.episode_id],
    );
    const [[row]] = await manager.query<[PlanRow[], number]>(
      `UPDATE intake.treatment_plans SET status = 'signed', client_signed_on = $2, signed_by = $3, signed_at = $4,
         review_due_on = $5 WHERE id = $1 RETURNING ${COLUMNS}`,
      [plan.id, signature.clientSignedOn, signature.signedBy, signature.signedAt, signature.reviewDueOn],
    );
    if (row === undefined) throw new Error('update returned nothing');
    return row;
  }

  /** Records the review and moves the plan's next review to its due date. */
  async addReview(manager: EntityManager, review: NewPlanReview): Promise<void> {
    await manager.query(
      `INSERT INTO intake.treatment_plan_reviews (id, plan_id, goals_met, goals_total, reviewed_at, reviewed_by, next_due_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        review.id,
        review.planId,
        review.goalsMet,
        review.goalsTotal,
        review.reviewedAt,
        review.reviewedBy,
        review.nextDueOn,
      ],
    );
    await manager.query(`UPDATE intake.treatment_plans SET review_due_on = $2 WHERE id = $1`, [
      review.planId,
      review.nextDueOn,
    ]);
  }

  /** The episode's plan versions, oldest first. */
  ofEpisode(episodeId: string): Promise<PlanRow[]> {
    return this.dataSource.query<PlanRow[]>(
      `SELECT ${COLUMNS} FROM intake.treatment_plans WHERE episode_id = $1 ORDER BY version`,
      [episodeId],
    );
  }
}
