import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@stepwise/messaging';
import { type Actor, type FieldProblem, ProblemException, refOf, ScopedRecords } from '@stepwise/security';
import { EPISODE } from '../episodes/episodes.repository';
import { PlanCipher } from './plan-cipher';
import { type DraftPlanDto, type PlanView, type ProblemDto } from './plan.dto';
import { planView, problemsContext } from './plan-view';
import { PLAN, PlansRepository } from './plans.repository';

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
 * Writes a new draft version of an active episode's plan: problems → goals → measurable objectives →
 * interventions, its text sealed. Goal ids are the "golden thread" session notes refer to, so a goal carried
 * forward keeps its id and an id no earlier version had is refused.
 */
@Injectable()
export class DraftPlan {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly plans: PlansRepository,
    private readonly cipher: PlanCipher,
  ) {}

  async execute(actor: Actor, episodeId: string, body: DraftPlanDto): Promise<PlanView> {
    return this.unitOfWork.run(async (tx) => {
      const episode = await this.records.load(actor, EPISODE, episodeId, 'plan', tx.manager);
      if (episode.status !== 'active') {
        throw new ProblemException('invalid-transition', { detail: 'The episode is discharged' });
      }
      const known = new Set(await this.plans.goalIds(tx.manager, episodeId));
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
      const version = await this.plans.nextVersion(tx.manager, episodeId);
      const planId = randomUUID();
      const dataKey = this.cipher.newDataKey(planId);
      const row = await this.plans.insertDraft(tx.manager, {
        id: planId,
        episodeId,
        clientId: episode.client_id,
        siteId: episode.site_id,
        networkId: episode.network_id,
        version,
        problemsSealed: this.cipher.seal(dataKey, problems, problemsContext(planId)),
        problemsKey: dataKey.wrapped,
        kekId: dataKey.kekId,
        goalIds,
        createdBy: actor.principal.id,
      });
      await this.records.audited(actor, 'create', PLAN, refOf(PLAN, row), tx.manager);
      return planView(row, this.cipher);
    });
  }
}
