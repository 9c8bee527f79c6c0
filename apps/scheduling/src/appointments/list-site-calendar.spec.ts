import { SITE_A, SITE_B, appointmentWorld, occurrence } from '../testing/appointment-world';
import { ListSiteCalendar } from './list-site-calendar';

describe('ListSiteCalendar', () => {
  it("pages through the site's sessions in the range, earliest first", async () => {
    const { store } = appointmentWorld();
    store.addOccurrence(
      occurrence('00000000-0000-4000-8000-000000000003', {
        local_date: '2027-03-12',
        starts_at: new Date('2027-03-12T20:00:00Z'),
      }),
    );
    store.addOccurrence(occurrence('00000000-0000-4000-8000-000000000001'));
    store.addOccurrence(
      occurrence('00000000-0000-4000-8000-000000000002', {
        local_date: '2027-03-11',
        starts_at: new Date('2027-03-11T20:00:00Z'),
      }),
    );
    store.addOccurrence(occurrence('00000000-0000-4000-8000-000000000004', { site_id: SITE_B }));
    store.addOccurrence(occurrence('00000000-0000-4000-8000-000000000005', { local_date: '2027-03-15' }));
    const calendar = new ListSiteCalendar(store.asRepository());

    const first = await calendar.execute(SITE_A, { from: '2027-03-10', to: '2027-03-15', limit: 2 });
    expect(first.items.map((o) => o.id)).toEqual([
      '00000000-0000-4000-8000-000000000001',
      '00000000-0000-4000-8000-000000000002',
    ]);
    expect(first.items[0]).toMatchObject({
      siteId: SITE_A,
      startsAt: '2027-03-10T20:00:00.000Z',
      status: 'scheduled',
    });
    expect(first.nextCursor).not.toBeNull();

    const second = await calendar.execute(SITE_A, {
      from: '2027-03-10',
      to: '2027-03-15',
      limit: 2,
      cursor: first.nextCursor ?? undefined,
    });
    expect(second.items.map((o) => o.id)).toEqual(['00000000-0000-4000-8000-000000000003']);
    expect(second.nextCursor).toBeNull();
  });

  it('answers 400 for a range wider than 92 days', async () => {
    const calendar = new ListSiteCalendar(appointmentWorld().store.asRepository());
    await expect(calendar.execute(SITE_A, { from: '2027-01-01', to: '2027-06-01' })).rejects.toMatchObject({
      code: 'validation-failed',
    });
  });
});
