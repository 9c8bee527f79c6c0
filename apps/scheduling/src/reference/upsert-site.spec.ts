import { NETWORK, actorAt } from '../testing/actors';
import { REF_NOW, referenceWorld, siteBody } from '../testing/reference-world';
import { UpsertSite } from './upsert-site';

const SITE = 'a0000000-0000-4000-8000-00000000000a';

describe('UpsertSite', () => {
  it("creates a site in the caller's network and publishes its full state, closures sorted", async () => {
    const w = await referenceWorld();
    const view = await new UpsertSite(w.unitOfWork, w.store.asRepository(), w.clock).execute(
      actorAt(SITE),
      SITE,
      siteBody(),
    );
    const expected = {
      id: SITE,
      networkId: NETWORK,
      name: 'Riverside Clinic',
      timeZone: 'America/New_York',
      closures: ['2027-07-04', '2027-12-25'],
      active: true,
      updatedAt: REF_NOW,
    };
    expect(view).toEqual(expected);
    const { id, ...rest } = expected;
    expect(w.unitOfWork.published).toEqual([{ type: 'SiteUpserted', payload: { siteId: id, ...rest } }]);
    expect(w.unitOfWork.locks).toEqual([`scheduling:site:${SITE}`]);
  });

  it('keeps the network of an existing site whatever the caller names', async () => {
    const w = await referenceWorld(SITE);
    const other = { ...actorAt(SITE), principal: { ...actorAt(SITE).principal, network: 'another-network' } };
    w.clock.set('2027-02-01T00:00:00Z');
    const view = await new UpsertSite(w.unitOfWork, w.store.asRepository(), w.clock).execute(
      other,
      SITE,
      siteBody({ name: 'Riverside North', active: false }),
    );
    expect(view).toMatchObject({
      networkId: NETWORK,
      name: 'Riverside North',
      active: false,
      updatedAt: '2027-02-01T00:00:00.000Z',
    });
  });

  it('answers 422 for a new site when the token names no network, publishing nothing', async () => {
    const w = await referenceWorld();
    const networkless = { ...actorAt(SITE), principal: { ...actorAt(SITE).principal, network: undefined } };
    await expect(
      new UpsertSite(w.unitOfWork, w.store.asRepository(), w.clock).execute(networkless, SITE, siteBody()),
    ).rejects.toMatchObject({ code: 'unprocessable' });
    expect(w.unitOfWork.published).toEqual([]);
  });
});
