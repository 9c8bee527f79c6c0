import { actorAt } from '../testing/actors';
import {
  CLIENT,
  EPISODE,
  OTHER_STAFF,
  SITE_A,
  SITE_B,
  STAFF,
  appointmentWorld,
  bookingBody,
  occurrence,
} from '../testing/appointment-world';
import { BookAppointment } from './book-appointment';

function booking(w: ReturnType<typeof appointmentWorld>): BookAppointment {
  return new BookAppointment(w.unitOfWork, w.records, w.store.asRepository(), w.clock);
}

describe('BookAppointment', () => {
  it('books the session on its local date, publishes AppointmentScheduled and audits the creation', async () => {
    const w = appointmentWorld();
    const view = await booking(w).execute(actorAt(SITE_A), SITE_A, bookingBody());

    expect(view).toMatchObject({
      clientId: CLIENT,
      episodeId: EPISODE,
      siteId: SITE_A,
      kind: 'individual',
      facilitatorId: STAFF,
      startsAt: '2027-03-10T20:00:00.000Z',
      endsAt: '2027-03-10T21:00:00.000Z',
      status: 'scheduled',
    });
    expect(w.store.occurrenceRows.get(view.occurrenceId)).toMatchObject({
      local_date: '2027-03-10',
      modality: 'in-person',
    });
    expect(w.unitOfWork.published).toEqual([
      {
        type: 'AppointmentScheduled',
        payload: {
          appointmentId: view.id,
          clientId: CLIENT,
          episodeId: EPISODE,
          kind: 'individual',
          sessionType: 'individual-counseling',
          occurrenceId: view.occurrenceId,
          siteId: SITE_A,
          startsAt: '2027-03-10T20:00:00.000Z',
          endsAt: '2027-03-10T21:00:00.000Z',
          modality: 'in-person',
          facilitatorId: STAFF,
        },
      },
    ]);
    expect(w.unitOfWork.locks).toEqual([`scheduling:staff:${STAFF}`, `scheduling:room:${SITE_A}:Room 1`]);
    expect(w.records.trail.entries).toEqual([
      {
        action: 'create',
        resourceType: 'appointment',
        resourceId: view.id,
        clientId: CLIENT,
        siteId: SITE_A,
        outcome: 'allowed',
      },
    ]);
  });

  it('books a telehealth session by its video link', async () => {
    const w = appointmentWorld();
    const body = bookingBody({ room: undefined, videoLink: 'https://video.example/abc' });
    const view = await booking(w).execute(actorAt(SITE_A), SITE_A, body);
    expect(w.store.occurrenceRows.get(view.occurrenceId)).toMatchObject({
      modality: 'telehealth',
      room: null,
    });
    expect(w.unitOfWork.locks).toEqual([`scheduling:staff:${STAFF}`]);
  });

  it('answers 409 when the facilitator or the room is taken, publishing nothing', async () => {
    const w = appointmentWorld();
    w.store.addOccurrence(occurrence('00000000-0000-4000-8000-000000000001', { room: 'Room 9' }));
    await expect(booking(w).execute(actorAt(SITE_A), SITE_A, bookingBody())).rejects.toMatchObject({
      code: 'schedule-conflict',
      message: 'The facilitator is already booked at that time',
    });
    w.store.addStaff(OTHER_STAFF, [SITE_A]);
    await expect(
      booking(w).execute(
        actorAt(SITE_A),
        SITE_A,
        bookingBody({ facilitatorId: OTHER_STAFF, room: 'Room 9' }),
      ),
    ).rejects.toMatchObject({
      code: 'schedule-conflict',
      message: 'The room is already booked at that time',
    });
    expect(w.unitOfWork.published).toEqual([]);
  });

  it('books back to back: a session ending as this one starts is no clash', async () => {
    const w = appointmentWorld();
    w.store.addOccurrence(
      occurrence('00000000-0000-4000-8000-000000000001', {
        starts_at: new Date('2027-03-10T19:00:00Z'),
        ends_at: new Date('2027-03-10T20:00:00Z'),
      }),
    );
    await expect(booking(w).execute(actorAt(SITE_A), SITE_A, bookingBody())).resolves.toMatchObject({
      status: 'scheduled',
    });
  });

  it('answers 422 for both or neither of room and video link, and for a start in the past', async () => {
    const w = appointmentWorld();
    const book = booking(w);
    const both = bookingBody({ videoLink: 'https://video.example/abc' });
    await expect(book.execute(actorAt(SITE_A), SITE_A, both)).rejects.toMatchObject({
      code: 'unprocessable',
    });
    const neither = bookingBody({ room: undefined });
    await expect(book.execute(actorAt(SITE_A), SITE_A, neither)).rejects.toMatchObject({
      code: 'unprocessable',
    });
    w.clock.set('2027-03-10T20:00:01Z');
    await expect(book.execute(actorAt(SITE_A), SITE_A, bookingBody())).rejects.toMatchObject({
      code: 'unprocessable',
      message: 'An appointment cannot start in the past',
    });
    expect(w.unitOfWork.published).toEqual([]);
  });

  it('answers 404 for a facilitator who does not work at the site', async () => {
    const w = appointmentWorld();
    w.store.addStaff(OTHER_STAFF, [SITE_B]);
    await expect(
      booking(w).execute(actorAt(SITE_A), SITE_A, bookingBody({ facilitatorId: OTHER_STAFF })),
    ).rejects.toMatchObject({ code: 'not-found', message: 'No such staff member here' });
  });

  it("answers 404 at a site outside the caller's sites and audits the denial", async () => {
    const w = appointmentWorld();
    await expect(booking(w).execute(actorAt(SITE_B), SITE_A, bookingBody())).rejects.toMatchObject({
      code: 'not-found',
    });
    expect(w.records.trail.entries).toEqual([
      { action: 'create', resourceType: 'appointment', siteId: SITE_A, outcome: 'denied' },
    ]);
  });
});
