import { type SiteRow } from './schedule.rows';
import {
  ENROLLMENT,
  MONDAY_GROUP,
  SCHEDULE_NOW as NOW,
  SCHEDULE_SITE as SITE,
  bookedSeat,
  plannedWeek,
  scheduleWorld,
  seriesRow,
} from '../testing/schedule-world';
import { InMemoryCareRules } from '../testing/in-memory-care-rules';
import { ExtendHorizon } from './extend-horizon';
import { ScheduleGenerator } from './schedule-generator';

const OTHER_SITE = 'b0000000-0000-4000-8000-00000000000b';
const CLOSED_SITE = 'c0000000-0000-4000-8000-00000000000c';
const DAY_MS = 86_400_000;

/** The extension over the in-memory schedule: the site with its Monday group and a client, two more sites. */
function world(): ReturnType<typeof scheduleWorld> & { extendHorizon: ExtendHorizon } {
  const w = scheduleWorld();
  w.store.addSite(OTHER_SITE);
  w.store.addSite(CLOSED_SITE, { active: false });
  w.store.seriesRows.push(seriesRow(MONDAY_GROUP));
  w.store.planned.push(plannedWeek('2027-03-08', 420));
  const repository = w.store.asRepository();
  return {
    ...w,
    extendHorizon: new ExtendHorizon(
      w.unitOfWork,
      repository,
      new ScheduleGenerator(repository, new InMemoryCareRules().asRepository()),
    ),
  };
}

describe('ExtendHorizon', () => {
  it('extends every active site to four weeks ahead, each in its own transaction, under the job lock', async () => {
    const w = world();
    w.store.seatsToBook = [bookedSeat('a1000000-0000-4000-8000-000000000001', '2027-03-08T23:00:00.000Z')];
    const result = await w.extendHorizon.execute(NOW);
    // The first run judges the full weeks from today: 8 March (420 min), 15 and 22 March (nothing planned).
    expect(result).toEqual({ sites: 2, appointments: 1, belowMinimum: 3 });
    expect(w.store.lockedKeys).toEqual(['scheduling:horizon-extension']);
    expect(w.unitOfWork.runs).toBe(2);
    expect(w.store.seriesRows[0]?.generated_until).toBe('2027-03-31');
    // 22 March is the site's closure.
    expect(w.store.occurrences.map((o) => o.localDate)).toEqual(['2027-03-08', '2027-03-15', '2027-03-29']);
    expect(w.store.bookings.map((b) => [b.siteId, b.from])).toEqual([
      [SITE, NOW],
      [OTHER_SITE, NOW],
    ]);
    expect(w.unitOfWork.published.map((e) => e.type)).toEqual([
      'AppointmentScheduled',
      // The two weeks with nothing planned have no program days either (the short one has three).
      'ScheduleOutsideProgramShape',
      'ScheduleOutsideProgramShape',
      'ScheduleBelowLevelMinimum',
      'ScheduleBelowLevelMinimum',
      'ScheduleBelowLevelMinimum',
    ]);
  });

  it('judges on a later run only the weeks newly complete', async () => {
    const w = world();
    await w.extendHorizon.execute(NOW);
    const result = await w.extendHorizon.execute(new Date(NOW.getTime() + 7 * DAY_MS));
    expect(result).toEqual({ sites: 2, appointments: 0, belowMinimum: 1 });
    expect(w.store.flags.map((f) => f.weekStart)).toEqual([
      '2027-03-08',
      '2027-03-15',
      '2027-03-22',
      '2027-03-29',
    ]);
    expect(w.store.occurrences.map((o) => o.localDate).at(-1)).toBe('2027-04-05');
  });

  it('does nothing while another replica extends (undefined)', async () => {
    const w = world();
    w.store.lockedElsewhere = true;
    await expect(w.extendHorizon.execute(NOW)).resolves.toBeUndefined();
    expect(w.unitOfWork.runs).toBe(0);
    expect(w.store.occurrences).toEqual([]);
  });

  it('leaves a site that is unknown or no longer active', async () => {
    const w = world();
    w.store.sites.set(SITE, { ...(w.store.sites.get(SITE) as SiteRow), active: false });
    const run = (siteId: string) => w.unitOfWork.run((tx) => w.extendHorizon.extendSite(tx, siteId, NOW));
    await expect(run(SITE)).resolves.toEqual({ sites: 0, appointments: 0, belowMinimum: 0 });
    await expect(run('d0000000-0000-4000-8000-00000000000d')).resolves.toEqual({
      sites: 0,
      appointments: 0,
      belowMinimum: 0,
    });
    expect(w.store.occurrences).toEqual([]);
    expect(w.store.flags.map((f) => f.episodeId)).not.toContain(ENROLLMENT);
  });
});
