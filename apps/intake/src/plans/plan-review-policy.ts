import { addDays, localDateOf } from '@stepwise/care-rules';
import { type EntityManager } from 'typeorm';
import { type ReferenceProjection } from '../reference/reference-projection';

/** How often a signed plan is reviewed (versioned: a change of policy is a new id). */
export const PLAN_REVIEW_POLICY = { id: 'plan-review@1', intervalDays: 30 } as const;

/** The date a review falls due: the policy's interval after the instant's calendar day at the site. */
export async function reviewDueOn(
  reference: Pick<ReferenceProjection, 'site'>,
  manager: EntityManager,
  siteId: string,
  at: Date,
): Promise<string> {
  const site = await reference.site(siteId, manager);
  return addDays(localDateOf(at, site?.timeZone ?? 'UTC'), PLAN_REVIEW_POLICY.intervalDays);
}
