import { actorAt } from '../testing/actors';
import { CLIENT, EPISODE, SITE_A, SITE_B, appointmentWorld, occurrence } from '../testing/appointment-world';
import { ViewRoster } from './view-roster';

const OCCURRENCE = '00000000-0000-4000-8000-000000000001';

function world(): ReturnType<typeof appointmentWorld> {
  const w = appointmentWorld();
  w.store.addOccurrence(occurrence(OCCURRENCE, { kind: 'group' }));
  const booked = { occurrenceId: OCCURRENCE, episodeId: EPISODE, siteId: SITE_A, cancelReason: null };
  w.store.addAppointment({
    ...booked,
    id: 'a9900000-0000-4000-8000-000000000002',
    clientId: 'client-z',
    status: 'scheduled',
  });
  w.store.addAppointment({
    ...booked,
    id: 'a9900000-0000-4000-8000-000000000001',
    clientId: CLIENT,
    status: 'scheduled',
  });
  w.store.addAppointment({ ...booked, id: 'appt-3', clientId: 'client-x', status: 'cancelled' });
  return w;
}

describe('ViewRoster', () => {
  it('shows the session and its scheduled attendees by client, and audits the read', async () => {
    const { store, records } = world();
    const roster = await new ViewRoster(records, store.asRepository()).execute(actorAt(SITE_A), OCCURRENCE);
    expect(roster.occurrence).toMatchObject({ id: OCCURRENCE, kind: 'group', siteId: SITE_A });
    expect(roster.attendees.map((a) => a.clientId)).toEqual([CLIENT, 'client-z']);
    expect(records.trail.entries).toEqual([
      { action: 'read', resourceType: 'roster', resourceId: OCCURRENCE, siteId: SITE_A, outcome: 'allowed' },
    ]);
  });

  it("answers 404 for another site's session and audits the denial", async () => {
    const { store, records } = world();
    const viewing = new ViewRoster(records, store.asRepository());
    await expect(viewing.execute(actorAt(SITE_B), OCCURRENCE)).rejects.toMatchObject({ code: 'not-found' });
    expect(records.trail.entries).toEqual([
      expect.objectContaining({
        action: 'read',
        resourceType: 'roster',
        resourceId: OCCURRENCE,
        outcome: 'denied',
      }),
    ]);
  });

  it('answers 404 for an unknown session', async () => {
    const { store, records } = world();
    const viewing = new ViewRoster(records, store.asRepository());
    await expect(viewing.execute(actorAt(SITE_A), 'no-such-occurrence')).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});
