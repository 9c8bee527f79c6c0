import { type components } from '../api/generated/intake';

type PlanView = components['schemas']['PlanView'];

/** A goal of a client's treatment plan that a note may say it addressed. */
export interface PlanGoal {
  id: string;
  description: string;
  problem: string;
}

/**
 * The goals of the episode's current signed plan, the only ones the sessions service accepts in a note's
 * `goalIdsAddressed` (a newer draft or a superseded version does not count). Empty when no version is signed.
 */
export function signedPlanGoals(plans: readonly PlanView[]): PlanGoal[] {
  const signed = plans
    .filter((p) => p.status === 'signed')
    .reduce<PlanView | undefined>(
      (best, p) => (best === undefined || p.version > best.version ? p : best),
      undefined,
    );
  if (signed === undefined) return [];
  return signed.problems.flatMap((problem) =>
    problem.goals.flatMap((goal) =>
      goal.id === undefined
        ? []
        : [{ id: goal.id, description: goal.description, problem: problem.description }],
    ),
  );
}
