import { Weekday } from '@stepwise/contracts';
import {
  FACILITATOR,
  OTHER_SITE,
  SERIES_NOW,
  SERIES_SITE,
  TRACK,
  seriesBody,
  seriesWorld,
} from '../testing/series-world';
import { CreateGroupSeries } from './create-group-series';

type World = ReturnType<typeof seriesWorld>;
const creating = (w: World): CreateGroupSeries =>
  new CreateGroupSeries(w.unitOfWork, w.store.asRepository(), w.generator.asGenerator(), w.clock);

describe('CreateGroupSeries', () => {
  it('creates the series and generates its occurrences up to the horizon from now', async () => {
    const w = seriesWorld();
    const view = await creating(w).execute(SERIES_SITE, seriesBody());
    expect(view).toMatchObject({
      siteId: SERIES_SITE,
      programTrackId: TRACK,
      kind: 'group',
      weekday: 'monday',
      start: '18:00',
      minutes: 180,
      facilitatorId: FACILITATOR,
      room: 'Room 1',
      videoLink: null,
      modality: 'in-person',
      capacity: 12,
      startsOn: '2027-03-01',
    });
    expect(w.generator.extended).toEqual([
      { siteId: SERIES_SITE, until: `horizon-from-${SERIES_NOW}`, seriesIds: [view.id] },
    ]);
    expect(w.unitOfWork.locks).toEqual([
      `scheduling:staff:${FACILITATOR}`,
      `scheduling:room:${SERIES_SITE}:Room 1`,
    ]);
  });

  it('answers 409 when the facilitator or the room already has an overlapping weekly session', async () => {
    const w = seriesWorld();
    await creating(w).execute(SERIES_SITE, seriesBody());
    await expect(
      creating(w).execute(SERIES_SITE, seriesBody({ start: '20:59', room: 'Room 2' })),
    ).rejects.toMatchObject({
      code: 'schedule-conflict',
      message: 'The facilitator already has a weekly session overlapping this slot',
    });
    w.store.staff.push({ id: 'other-facilitator', siteIds: [SERIES_SITE] });
    await expect(
      creating(w).execute(
        SERIES_SITE,
        seriesBody({ facilitatorId: 'other-facilitator', start: '17:00', minutes: 61 }),
      ),
    ).rejects.toMatchObject({ message: 'The room already has a weekly session overlapping this slot' });
    expect(w.store.series.size).toBe(1);
  });

  it('takes a slot that only touches another one, or is on another weekday', async () => {
    const w = seriesWorld();
    await creating(w).execute(SERIES_SITE, seriesBody());
    await creating(w).execute(SERIES_SITE, seriesBody({ start: '21:00' }));
    await creating(w).execute(SERIES_SITE, seriesBody({ weekday: Weekday.Tuesday }));
    expect(w.store.series.size).toBe(3);
  });

  it('answers 422 for both or neither of room and video link', async () => {
    const w = seriesWorld();
    const both = seriesBody({ videoLink: 'https://video.example/g' });
    await expect(creating(w).execute(SERIES_SITE, both)).rejects.toMatchObject({ code: 'unprocessable' });
    await expect(creating(w).execute(SERIES_SITE, seriesBody({ room: undefined }))).rejects.toMatchObject({
      code: 'unprocessable',
    });
  });

  it('answers 404 for an unknown site, a track of another site and a facilitator not working there', async () => {
    const w = seriesWorld();
    await expect(creating(w).execute('no-such-site', seriesBody())).rejects.toMatchObject({
      message: 'No such site',
    });
    await expect(creating(w).execute(OTHER_SITE, seriesBody())).rejects.toMatchObject({
      code: 'not-found',
      message: 'No such program track at this site',
    });
    w.store.tracks.push({ id: TRACK, siteId: OTHER_SITE });
    await expect(creating(w).execute(OTHER_SITE, seriesBody())).rejects.toMatchObject({
      code: 'not-found',
      message: 'No such active staff member at this site',
    });
    expect(w.generator.extended).toEqual([]);
  });
});
