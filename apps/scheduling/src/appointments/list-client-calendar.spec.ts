import { actorAt } from '../testing/actors';
import { CLIENT, EPISODE, SITE_A, appointmentWorld, occurrence } from '../testing/appointment-world';
import { ListClientCalendar } from './list-client-calendar';

describe('ListClientCalendar', () => {
  it("lists the client's appointments at the site and audits the listing", async () => {
    const { store, records } = appointmentWorld();
    const occurrenceId = '00000000-0000-4000-8000-000000000001';
    store.addOccurrence(occurrence(occurrenceId));
    store.addAppointment({
      id: 'a9900000-0000-4000-8000-000000000001',
      occurrenceId,
      clientId: CLIENT,
      episodeId: EPISODE,
      siteId: SITE_A,
      status: 'scheduled',
      cancelReason: null,
    });
    store.addAppointment({
      id: 'a9900000-0000-4000-8000-000000000002',
      occurrenceId,
      clientId: 'someone-else',
      episodeId: EPISODE,
      siteId: SITE_A,
      status: 'scheduled',
      cancelReason: null,
    });
    const audit = records.trail;
    const listing = new ListClientCalendar(store.asRepository(), audit);

    const page = await listing.execute(actorAt(SITE_A), CLIENT, SITE_A, {
      from: '2027-03-01',
      to: '2027-04-01',
    });

    expect(page.items).toEqual([
      expect.objectContaining({
        id: 'a9900000-0000-4000-8000-000000000001',
        clientId: CLIENT,
        occurrenceId,
        status: 'scheduled',
        cancelReason: null,
      }),
    ]);
    expect(audit.entries).toEqual([
      { action: 'list', resourceType: 'appointment', clientId: CLIENT, siteId: SITE_A, outcome: 'allowed' },
    ]);
  });

  it('refuses a reversed range before reading or auditing anything', async () => {
    const { store, records } = appointmentWorld();
    const listing = new ListClientCalendar(store.asRepository(), records.trail);
    await expect(
      listing.execute(actorAt(SITE_A), CLIENT, SITE_A, { from: '2027-04-01', to: '2027-03-01' }),
    ).rejects.toMatchObject({ code: 'validation-failed' });
    expect(records.trail.entries).toEqual([]);
  });
});
