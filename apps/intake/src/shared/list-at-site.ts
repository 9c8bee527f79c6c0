import { type Actor, type AuditTrail, type Page } from '@stepwise/security';

/**
 * What every list of a site's queue does around its query: the listing is audited at the site. The site of
 * the path is checked by the route's permission (`RequirePermission` with the site parameter), the access
 * check of such a request.
 */
export async function listAtSite<T>(
  audit: AuditTrail,
  actor: Actor,
  siteId: string,
  kind: { readonly resourceType: string },
  page: () => Promise<Page<T>>,
): Promise<Page<T>> {
  const result = await page();
  await audit.record(actor, { action: 'list', resourceType: kind.resourceType, siteId, outcome: 'allowed' });
  return result;
}
