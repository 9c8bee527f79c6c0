import { NETWORK, actorAt } from '../testing/actors';
import { referenceWorld } from '../testing/reference-world';
import { GetSite } from './get-site';

const SITE_A = 'a0000000-0000-4000-8000-00000000000a';
const SITE_B = 'b0000000-0000-4000-8000-00000000000b';

describe('GetSite', () => {
  it('shows a site to a caller of that site, without an audit entry', async () => {
    const w = await referenceWorld(SITE_A);
    const view = await new GetSite(w.records).execute(actorAt(SITE_A), SITE_A);
    expect(view).toMatchObject({ id: SITE_A, networkId: NETWORK, timeZone: 'America/New_York' });
    expect(w.records.trail.entries).toEqual([]);
  });

  it('answers 404 to a caller of another site and audits the denial', async () => {
    const w = await referenceWorld(SITE_A);
    await expect(new GetSite(w.records).execute(actorAt(SITE_B), SITE_A)).rejects.toMatchObject({
      code: 'not-found',
    });
    expect(w.records.trail.entries).toEqual([
      {
        action: 'read',
        resourceType: 'site',
        resourceId: SITE_A,
        siteId: SITE_A,
        networkId: NETWORK,
        outcome: 'denied',
      },
    ]);
  });

  it('answers 404 for an unknown site', async () => {
    const w = await referenceWorld();
    await expect(new GetSite(w.records).execute(actorAt(SITE_A), SITE_A)).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});
