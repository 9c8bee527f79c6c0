import { iso } from '../shared/staff';
import { type PlanCipher } from './plan-cipher';
import { type PlanView, type ProblemDto } from './plan.dto';
import { type PlanRow } from './plans.repository';

/** What a plan's text is sealed as: bound to the plan version, so it cannot be moved to another one. */
export const problemsContext = (planId: string): string => `${planId}|problems`;

function problemsOf(row: PlanRow, cipher: PlanCipher): ProblemDto[] {
  if (row.problems_sealed === null || row.problems_key === null || row.kek_id === null)
    return row.problems ?? [];
  const dataKey = cipher.unwrap(row.id, row.kek_id, row.problems_key);
  return cipher.open<ProblemDto[]>(dataKey, row.problems_sealed, problemsContext(row.id));
}

/** The plan version as the API shows it, its text opened. */
export const planView = (row: PlanRow, cipher: PlanCipher): PlanView => ({
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
