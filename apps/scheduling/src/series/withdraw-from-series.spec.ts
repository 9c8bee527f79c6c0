import { NO_DATABASE } from '@stepwise/messaging';
import { CancellationReason } from '@stepwise/contracts';
import { NETWORK, actorAt } from '../testing/actors';
import { OTHER_SITE, SERIES_SITE, seriesBody, seriesWorld } from '../testing/series-world';
import { ViewSeriesCapacity } from './view-series-capacity';
import { WithdrawFromSeries } from './withdraw-from-series';

const SERIES = '90000000-0000-4000-8000-000000000001';

async function world(): Promise<{ w: ReturnType<typeof seriesWorld>; withdrawing: WithdrawFromSeries }> {
  const w = seriesWorld();
  await w.store.insert(NO_DATABASE, SERIES, SERIES_SITE, seriesBody({ capacity: 1 }));
  const member = { series_id: SERIES, waitlisted_at: null };
  w.store.memberRows.push(
    { ...member, id: 'm1', client_id: 'client-1', episode_id: 'ep-1', status: 'seated' },
    { ...member, id: 'm2', client_id: 'client-2', episode_id: 'ep-2', status: 'waitlisted' },
  );
  const records = w.records;
  const withdrawing = new WithdrawFromSeries(
    w.unitOfWork,
    records,
    w.store.asRepository(),
    w.seating.asSeating(),
    w.generator.asGenerator(),
    new ViewSeriesCapacity(records, w.store.asRepository()),
    w.clock,
  );
  return { w, withdrawing };
}

describe('WithdrawFromSeries', () => {
  it("frees a seated client's seat: future appointments cancelled, the waitlist promoted, audited", async () => {
    const { w, withdrawing } = await world();
    const view = await withdrawing.execute(
      actorAt(SERIES_SITE),
      SERIES,
      'client-1',
      CancellationReason.ClientRequest,
    );
    expect(w.store.memberRows.find((m) => m.id === 'm1')?.status).toBe('left');
    expect(w.seating.cancelled).toEqual([
      { episodeId: 'ep-1', seriesId: SERIES, reason: 'client-request', at: '2027-03-01T12:00:00.000Z' },
    ]);
    expect(w.seating.promoted).toEqual([SERIES]);
    expect(view).toMatchObject({ seriesId: SERIES, seated: 0, available: 1 });
    expect(w.records.trail.entries.map((e) => [e.action, e.resourceType, e.clientId])).toEqual([
      ['withdraw', 'series-member', 'client-1'],
      ['read', 'waitlist', undefined],
    ]);
  });

  it('takes a waiting client off the waitlist without cancelling or promoting anything', async () => {
    const { w, withdrawing } = await world();
    const view = await withdrawing.execute(
      actorAt(SERIES_SITE),
      SERIES,
      'client-2',
      CancellationReason.ClientRequest,
    );
    expect(view.waitlist).toEqual([]);
    expect(w.seating.cancelled).toEqual([]);
    expect(w.seating.promoted).toEqual([]);
  });

  it('answers 404 for a client not in the series', async () => {
    const { withdrawing } = await world();
    await expect(
      withdrawing.execute(actorAt(SERIES_SITE), SERIES, 'client-9', CancellationReason.ClientRequest),
    ).rejects.toMatchObject({ code: 'not-found', message: 'The client is not in this series' });
  });

  it("answers 404 for another site's series, auditing the denied update", async () => {
    const { w, withdrawing } = await world();
    await expect(
      withdrawing.execute(actorAt(OTHER_SITE), SERIES, 'client-1', CancellationReason.ClientRequest),
    ).rejects.toMatchObject({ code: 'not-found' });
    expect(w.records.trail.entries).toEqual([
      {
        action: 'update',
        resourceType: 'group-series',
        resourceId: SERIES,
        siteId: SERIES_SITE,
        networkId: NETWORK,
        outcome: 'denied',
      },
    ]);
    expect(w.store.memberRows.find((m) => m.id === 'm1')?.status).toBe('seated');
  });
});
