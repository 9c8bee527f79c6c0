import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import {
  type Actor,
  type FieldProblem,
  ProblemException,
  type RecordKind,
  refOf,
  ScopedRecords,
} from '@stepwise/security';
import { addDays, localDateOf } from '@stepwise/care-rules';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '@stepwise/platform';
import { EPISODE } from '../episodes/episodes.repository';
import { ReferenceProjection } from '../reference/reference-projection';
import { iso, staffIdOf } from '../shared/staff';
import { PlanCipher } from './plan-cipher';
import {
  type DraftPlanDto,
  type PlanReviewView,
  type PlanView,
  type ProblemDto,
  type ReviewPlanDto,
  type SignPlanDto,
} from './plan.dto';

/** How often a signed plan is reviewed (versioned: a change of policy is a new id). */
export const PLAN_REVIEW_POLICY = { id: 'plan-review@1', intervalDays: 30 } as const;

interface PlanRow {
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

const COLUMNS = `id, episode_id, client_id, site_id, network_id, version, status, problems, problems_sealed,
  problems_key, kek_id, goal_ids,
  to_char(client_signed_on, 'YYYY-MM-DD') AS client_signed_on, signed_by, signed_at,
  to_char(review_due_on, 'YYYY-MM-DD') AS review_due_on`;

const PLAN: RecordKind<PlanRow> = {
  table: 'intake.treatment_plans',
  columns: COLUMNS,
  resourceType: 'plan',
  clientIdOf: (row) => row.client_id,
};

/** What a plan's text is sealed as: bound to the plan version, so it cannot be moved to another one. */
const problemsContext = (planId: string): string => `${planId}|problems`;

const view = (row: PlanRow, cipher: PlanCipher): PlanView => ({
  id: row.id,
  episodeId: row.episode_id,
  clientId: row.client_id,
  version: row.version,
  status: row.status,
  problems: problemsOf(row, cipher),
  goalIds: row.goal_ids,
  clientSignedOn: row.client_signed_on,
  signedBy: row.signed_by,
  signedAt: iso(row.signed_at),
  reviewDueOn: row.review_due_on,
});

function problemsOf(row: PlanRow, cipher: PlanCipher): ProblemDto[] {
  if (row.problems_sealed === null || row.problems_key === null || row.kek_id === null)
    return row.problems ?? [];
  const dataKey = cipher.unwrap(row.id, row.kek_id, row.problems_key);
  return cipher.open<ProblemDto[]>(dataKey, row.problems_sealed, problemsContext(row.id));
}

/** Gives every node of the plan an id; a goal keeps the id it carries forward from an earlier version. */
function withIds(problems: readonly ProblemDto[]): ProblemDto[] {
  return problems.map((problem) => ({
    id: randomUUID(),
    description: problem.description,
    goals: problem.goals.map((goal) => ({
      ...goal,
      id: goal.id ?? randomUUID(),
      objectives: goal.objectives.map((objective) => ({ id: randomUUID(), ...objective })),
      interventions: goal.interventions.map((intervention) => ({ id: randomUUID(), ...intervention })),
    })),
  }));
}

/**
 * Individualized treatment plans: versions of problems → goals → measurable objectives → interventions,
 * signed by client and clinician, reviewed periodically (goals met). Goal ids are the "golden thread" that
 * session notes refer to.
 */
@Injectable()
export class PlansService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly reference: ReferenceProjection,
    private readonly clock: Clock,
    private readonly cipher: PlanCipher,
  ) {}

  /** A date `days` after the instant's calendar day in the site's time zone. */
  private async dueOn(manager: EntityManager, siteId: string, at: Date): Promise<string> {
    const site = await this.reference.site(siteId, manager);
    return addDays(localDateOf(at, site?.timeZone ?? 'UTC'), PLAN_REVIEW_POLICY.intervalDays);
  }

  async draft(actor: Actor, episodeId: string, body: DraftPlanDto): Promise<PlanView> {
    return this.unitOfWork.run(async (tx) => {
      const episode = await this.records.load(actor, EPISODE, episodeId, 'plan', tx.manager);
      if (episode.status !== 'active') {
        throw new ProblemException('invalid-transition', { detail: 'The episode is discharged' });
      }
      const [earlier] = await tx.manager.query<{ goal_ids: string[] | null }[]>(
        `SELECT array_agg(DISTINCT g) AS goal_ids FROM intake.treatment_plans, unnest(goal_ids) AS g
          WHERE episode_id = $1`,
        [episodeId],
      );
      const known = new Set(earlier?.goal_ids ?? []);
      const problems = withIds(body.problems);
      const goalIds = problems.flatMap((p) => p.goals.map((g) => g.id as string));
      const unknown: FieldProblem[] = body.problems.flatMap((problem, i) =>
        problem.goals.flatMap((goal, j) =>
          goal.id !== undefined && !known.has(goal.id)
            ? [
                {
                  field: `problems.${i}.goals.${j}.id`,
                  problems: ['not a goal of an earlier version of this plan'],
                },
              ]
            : [],
        ),
      );
      if (unknown.length > 0) throw new ProblemException('unprocessable', { errors: unknown });
      if (new Set(goalIds).size !== goalIds.length || goalIds.length > 50) {
        throw new ProblemException('unprocessable', {
          errors: [{ field: 'problems', problems: ['a plan has at most 50 goals, each once'] }],
        });
      }
      const [versionRow] = await tx.manager.query<{ version: number | null }[]>(
        `SELECT max(version) AS version FROM intake.treatment_plans WHERE episode_id = $1`,
        [episodeId],
      );
      const planId = randomUUID();
      const dataKey = this.cipher.newDataKey(planId);
      const [row] = await tx.manager.query<PlanRow[]>(
        `INSERT INTO intake.treatment_plans (id, episode_id, client_id, site_id, network_id, version, status,
           problems_sealed, problems_key, kek_id, goal_ids, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, $9, $10, $11) RETURNING ${COLUMNS}`,
        [
          planId,
          episodeId,
          episode.client_id,
          episode.site_id,
          episode.network_id,
          (versionRow?.version ?? 0) + 1,
          this.cipher.seal(dataKey, problems, problemsContext(planId)),
          dataKey.wrapped,
          dataKey.kekId,
          goalIds,
          actor.principal.id,
        ],
      );
      if (row === undefined) throw new Error('insert returned nothing');
      await this.records.audited(actor, 'create', PLAN, refOf(PLAN, row), tx.manager);
      return view(row, this.cipher);
    });
  }

  async sign(actor: Actor, id: string, body: SignPlanDto): Promise<PlanView> {
    const signedBy = staffIdOf(actor);
    return this.unitOfWork.run(async (tx) => {
      const plan = await this.records.load(actor, PLAN, id, 'sign', tx.manager);
      if (plan.status !== 'draft') {
        throw new ProblemException('invalid-transition', {
          detail: `The plan version is already ${plan.status}`,
        });
      }
      const episode = await this.records.load(actor, EPISODE, plan.episode_id, 'plan', tx.manager);
      if (episode.status !== 'active') {
        throw new ProblemException('invalid-transition', { detail: 'The episode is discharged' });
      }
      const signedAt = this.clock.now();
      if (
        body.clientSignedOn > signedAt.toISOString().slice(0, 10) ||
        body.clientSignedOn < episode.admitted_on
      ) {
        throw new ProblemException('unprocessable', {
          errors: [{ field: 'clientSignedOn', problems: ['must be between the admission and today'] }],
        });
      }
      const reviewDueOn = await this.dueOn(tx.manager, plan.site_id, signedAt);
      await tx.manager.query(
        `UPDATE intake.treatment_plans SET status = 'superseded' WHERE episode_id = $1 AND status = 'signed'`,
        [plan.episode_id],
      );
      const [[row]] = await tx.manager.query<[PlanRow[], number]>(
        `UPDATE intake.treatment_plans SET status = 'signed', client_signed_on = $2, signed_by = $3, signed_at = $4,
           review_due_on = $5 WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, body.clientSignedOn, signedBy, signedAt, reviewDueOn],
      );
      if (row === undefined) throw new Error('update returned nothing');
      await tx.publish('TreatmentPlanSigned', {
        planId: id,
        episodeId: row.episode_id,
        clientId: row.client_id,
        siteId: row.site_id,
        version: row.version,
        goalIds: row.goal_ids,
        signedBy,
        signedAt: signedAt.toISOString(),
        reviewDueOn,
      });
      await this.records.audited(actor, 'sign', PLAN, refOf(PLAN, row), tx.manager);
      return view(row, this.cipher);
    });
  }

  async review(actor: Actor, id: string, body: ReviewPlanDto): Promise<PlanReviewView> {
    const reviewedBy = staffIdOf(actor);
    return this.unitOfWork.run(async (tx) => {
      const plan = await this.records.load(actor, PLAN, id, 'review', tx.manager);
      if (plan.status !== 'signed' || plan.signed_at === null) {
        throw new ProblemException('invalid-transition', {
          detail: 'Only the signed, current plan is reviewed',
        });
      }
      const reviewedAt = new Date(body.reviewedAt);
      // The client's signature date is when the plan took effect: a plan signed on paper and entered later
      // can have reviews dated before its entry (the entry time only records when it reached the system).
      const inEffectFrom = new Date(
        `${plan.client_signed_on ?? (iso(plan.signed_at) ?? '').slice(0, 10)}T00:00:00Z`,
      );
      if (reviewedAt > this.clock.now() || reviewedAt < inEffectFrom) {
        throw new ProblemException('unprocessable', {
          errors: [{ field: 'reviewedAt', problems: ['must be between the client signature date and now'] }],
        });
      }
      const foreign = body.goalsMet.filter((goal) => !plan.goal_ids.includes(goal));
      if (foreign.length > 0) {
        throw new ProblemException('unprocessable', {
          errors: [
            { field: 'goalsMet', problems: [`${foreign.length} id(s) are not goals of this plan version`] },
          ],
        });
      }
      const nextDueOn = await this.dueOn(tx.manager, plan.site_id, reviewedAt);
      const reviewId = randomUUID();
      await tx.manager.query(
        `INSERT INTO intake.treatment_plan_reviews (id, plan_id, goals_met, goals_total, reviewed_at, reviewed_by, next_due_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [reviewId, id, body.goalsMet, plan.goal_ids.length, reviewedAt, reviewedBy, nextDueOn],
      );
      await tx.manager.query(`UPDATE intake.treatment_plans SET review_due_on = $2 WHERE id = $1`, [
        id,
        nextDueOn,
      ]);
      await tx.publish('TreatmentPlanReviewed', {
        planId: id,
        episodeId: plan.episode_id,
        clientId: plan.client_id,
        siteId: plan.site_id,
        version: plan.version,
        goalsMet: body.goalsMet.length,
        goalsTotal: plan.goal_ids.length,
        reviewedAt: reviewedAt.toISOString(),
        reviewedBy,
      });
      await this.records.audited(actor, 'review', PLAN, refOf(PLAN, plan), tx.manager);
      return {
        id: reviewId,
        planId: id,
        goalsMet: body.goalsMet,
        goalsTotal: plan.goal_ids.length,
        reviewedAt: reviewedAt.toISOString(),
        reviewedBy,
        nextReviewDueOn: nextDueOn,
      };
    });
  }

  async read(actor: Actor, id: string): Promise<PlanView> {
    return view(await this.records.read(actor, PLAN, id), this.cipher);
  }

  async list(actor: Actor, episodeId: string): Promise<PlanView[]> {
    const episode = await this.records.load(actor, EPISODE, episodeId, 'list');
    const rows = await this.dataSource.query<PlanRow[]>(
      `SELECT ${COLUMNS} FROM intake.treatment_plans WHERE episode_id = $1 ORDER BY version`,
      [episodeId],
    );
    await this.records.audited(actor, 'list', { resourceType: 'plan' }, refOf(EPISODE, episode));
    return rows.map((row) => view(row, this.cipher));
  }
}
