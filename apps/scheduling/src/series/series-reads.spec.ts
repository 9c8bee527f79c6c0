import { NO_DATABASE } from '@stepwise/messaging';
import { NETWORK, actorAt } from '../testing/actors';
import { OTHER_SITE, SERIES_SITE, seriesBody, seriesWorld } from '../testing/series-world';
import { capacityView } from './series.views';
import { GetGroupSeries } from './get-group-series';
import { ViewSeriesCapacity } from './view-series-capacity';

const SERIES = '90000000-0000-4000-8000-000000000001';

async function withSeries(capacity = 2): Promise<ReturnType<typeof seriesWorld>> {
  const w = seriesWorld();
  await w.store.insert(NO_DATABASE, SERIES, SERIES_SITE, seriesBody({ capacity }));
  const member = { series_id: SERIES, waitlisted_at: null };
  w.store.memberRows.push(
    { ...member, id: 'm1', client_id: 'client-1', episode_id: 'ep-1', status: 'seated' },
    { ...member, id: 'm2', client_id: 'client-2', episode_id: 'ep-2', status: 'left' },
    {
      ...member,
      id: 'm3',
      client_id: 'client-3',
      episode_id: 'ep-3',
      status: 'waitlisted',
      waitlisted_at: new Date('2027-03-02T10:00:00Z'),
    },
    { ...member, id: 'm4', client_id: 'client-4', episode_id: 'ep-4', status: 'waitlisted' },
  );
  return w;
}

describe('GetGroupSeries', () => {
  it('shows the series at the caller’s site, unaudited; 404 elsewhere with the denial audited', async () => {
    const w = await withSeries();
    const getting = new GetGroupSeries(w.records);
    await expect(getting.execute(actorAt(SERIES_SITE), SERIES)).resolves.toMatchObject({
      id: SERIES,
      capacity: 2,
    });
    expect(w.records.trail.entries).toEqual([]);
    await expect(getting.execute(actorAt(OTHER_SITE), SERIES)).rejects.toMatchObject({ code: 'not-found' });
    expect(w.records.trail.entries).toEqual([
      {
        action: 'read',
        resourceType: 'group-series',
        resourceId: SERIES,
        siteId: SERIES_SITE,
        networkId: NETWORK,
        outcome: 'denied',
      },
    ]);
  });
});

describe('ViewSeriesCapacity', () => {
  it('counts seats and numbers the waitlist, auditing the read of the waitlist', async () => {
    const w = await withSeries();
    const view = await new ViewSeriesCapacity(w.records, w.store.asRepository()).execute(
      actorAt(SERIES_SITE),
      SERIES,
    );
    expect(view).toEqual({
      seriesId: SERIES,
      capacity: 2,
      seated: 1,
      available: 1,
      waitlist: [
        { clientId: 'client-3', episodeId: 'ep-3', position: 1, waitlistedAt: '2027-03-02T10:00:00.000Z' },
        { clientId: 'client-4', episodeId: 'ep-4', position: 2, waitlistedAt: '1970-01-01T00:00:00.000Z' },
      ],
    });
    expect(w.records.trail.entries).toEqual([
      {
        action: 'read',
        resourceType: 'waitlist',
        resourceId: SERIES,
        siteId: SERIES_SITE,
        outcome: 'allowed',
      },
    ]);
  });

  it('never shows fewer than zero seats available (capacity lowered below the seated)', async () => {
    const w = await withSeries(0);
    const series = w.store.series.get(SERIES);
    if (series === undefined) throw new Error('series not stored');
    expect(capacityView(series, await w.store.members(SERIES))).toMatchObject({ seated: 1, available: 0 });
  });
});
