import { randomUUID } from 'node:crypto';
import { type ProblemDto } from '../plans/plan.dto';
import { type PlanRow } from '../plans/plans.repository';
import { NETWORK, SITE_A } from './factories';

/** One problem with one goal (carrying `goalId` when given), one objective and one intervention. */
export function aProblem(goalId?: string): ProblemDto {
  return {
    description: 'Alcohol use disorder, moderate',
    goals: [
      {
        ...(goalId === undefined ? {} : { id: goalId }),
        description: 'Stay abstinent',
        objectives: [
          { description: 'Attend 3 groups a week', measure: 'attendance', targetDate: '2026-04-30' },
        ],
        interventions: [{ description: 'Group therapy', frequency: 'weekly' }],
      },
    ],
  };
}

/** A draft version written before plan text was sealed (its problems stored as they are). */
export function aPlanRow(overrides: Partial<PlanRow> = {}): PlanRow {
  return {
    id: randomUUID(),
    episode_id: randomUUID(),
    client_id: randomUUID(),
    site_id: SITE_A,
    network_id: NETWORK,
    version: 1,
    status: 'draft',
    problems: [aProblem()],
    problems_sealed: null,
    problems_key: null,
    kek_id: null,
    goal_ids: [randomUUID()],
    client_signed_on: null,
    signed_by: null,
    signed_at: null,
    review_due_on: null,
    ...overrides,
  };
}
