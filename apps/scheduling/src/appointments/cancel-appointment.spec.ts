import { CancellationReason } from '@stepwise/contracts';
import { actorAt } from '../testing/actors';
import { appointmentEvent } from '../testing/events';
import {
  BOOKED,
  BOOKED_APPOINTMENT,
  BOOKED_OCCURRENCE,
  SITE_A,
  SITE_B,
  appointmentAudit,
  bookedWorld,
} from '../testing/appointment-world';
import { CancelAppointment } from './cancel-appointment';

const OCCURRENCE = BOOKED_OCCURRENCE;

const cancelling = (w: ReturnType<typeof bookedWorld>): CancelAppointment =>
  new CancelAppointment(w.unitOfWork, w.records, w.store.asRepository(), w.clock);

describe('CancelAppointment', () => {
  it("cancels an individual session with its occurrence and publishes AppointmentCancelled at the clock's now", async () => {
    const w = bookedWorld('individual');
    w.clock.set('2027-03-05T09:30:00Z');
    const view = await cancelling(w).execute(
      actorAt(SITE_A),
      BOOKED_APPOINTMENT,
      CancellationReason.ClientRequest,
    );
    expect(view).toMatchObject({
      id: BOOKED_APPOINTMENT,
      status: 'cancelled',
      cancelReason: 'client-request',
    });
    expect(w.store.occurrenceRows.get(OCCURRENCE)?.status).toBe('cancelled');
    expect(w.unitOfWork.published).toEqual([
      appointmentEvent('AppointmentCancelled', BOOKED, {
        reason: CancellationReason.ClientRequest,
        cancelledAt: '2027-03-05T09:30:00.000Z',
      }),
    ]);
    expect(w.records.trail.entries).toEqual([appointmentAudit('cancel', 'allowed')]);
  });

  it('leaves a group session scheduled for the other attendees', async () => {
    const w = bookedWorld('group');
    await cancelling(w).execute(actorAt(SITE_A), BOOKED_APPOINTMENT, CancellationReason.ClientRequest);
    expect(w.store.occurrenceRows.get(OCCURRENCE)?.status).toBe('scheduled');
  });

  it('answers 409 the second time, publishing once', async () => {
    const w = bookedWorld('individual');
    await cancelling(w).execute(actorAt(SITE_A), BOOKED_APPOINTMENT, CancellationReason.ClientRequest);
    await expect(
      cancelling(w).execute(actorAt(SITE_A), BOOKED_APPOINTMENT, CancellationReason.ClientRequest),
    ).rejects.toMatchObject({ code: 'invalid-transition' });
    expect(w.unitOfWork.eventsOf('AppointmentCancelled')).toHaveLength(1);
  });

  it('answers 404 for an unknown appointment or one at another site', async () => {
    const w = bookedWorld('individual');
    await expect(
      cancelling(w).execute(actorAt(SITE_A), 'nope', CancellationReason.ClientRequest),
    ).rejects.toMatchObject({
      code: 'not-found',
    });
    await expect(
      cancelling(w).execute(actorAt(SITE_B), BOOKED_APPOINTMENT, CancellationReason.ClientRequest),
    ).rejects.toMatchObject({
      code: 'not-found',
    });
    expect(w.store.appointmentRows.get(BOOKED_APPOINTMENT)?.status).toBe('scheduled');
  });
});
