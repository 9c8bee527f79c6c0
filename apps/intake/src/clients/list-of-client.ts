import { type Actor, type Page, type ScopedRecords } from '@stepwise/security';
import { CLIENT } from './clients.repository';

/**
 * What every list of a client's records does around its query: the client is loaded for the caller (404
 * outside their sites, the denial audited) and the listing is audited against the client.
 */
export async function listOfClient<T>(
  records: ScopedRecords,
  actor: Actor,
  clientId: string,
  kind: { readonly resourceType: string },
  page: () => Promise<Page<T>>,
): Promise<Page<T>> {
  const client = await records.load(actor, CLIENT, clientId, 'list');
  const result = await page();
  await records.audited(actor, 'list', kind, { id: clientId, siteId: client.site_id, clientId });
  return result;
}
