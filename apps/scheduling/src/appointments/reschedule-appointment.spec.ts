import { RescheduleReason } from '@stepwise/contracts';
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
  occurrence,
} from '../testing/appointment-world';
import { RescheduleAppointment } from './reschedule-appointment';

const OCCURRENCE = BOOKED_OCCURRENCE;
const LATER = {
  startsAt: '2027-03-11T10:00:00-05:00',
  endsAt: '2027-03-11T11:00:00-05:00',
  reason: RescheduleReason.ClientRequest,
};

const rescheduling = (w: ReturnType<typeof bookedWorld>): RescheduleAppointment =>
  new RescheduleAppointment(w.unitOfWork, w.records, w.store.asRepository());

describe('RescheduleAppointment', () => {
  it('moves the session to its new local date and publishes AppointmentRescheduled', async () => {
    const w = bookedWorld();
    const view = await rescheduling(w).execute(actorAt(SITE_A), BOOKED_APPOINTMENT, LATER);
    expect(view).toMatchObject({
      id: BOOKED_APPOINTMENT,
      startsAt: '2027-03-11T15:00:00.000Z',
      endsAt: '2027-03-11T16:00:00.000Z',
    });
    expect(w.store.occurrenceRows.get(OCCURRENCE)?.local_date).toBe('2027-03-11');
    expect(w.unitOfWork.published).toEqual([
      appointmentEvent('AppointmentRescheduled', BOOKED, {
        occurrenceId: OCCURRENCE,
        startsAt: '2027-03-11T15:00:00.000Z',
        endsAt: '2027-03-11T16:00:00.000Z',
        reason: RescheduleReason.ClientRequest,
      }),
    ]);
    expect(w.records.trail.entries).toEqual([appointmentAudit('reschedule', 'allowed')]);
  });

  it('may overlap its own old time, but not another session of the facilitator (409)', async () => {
    const w = bookedWorld();
    const overlapping = {
      ...LATER,
      startsAt: '2027-03-10T15:30:00-05:00',
      endsAt: '2027-03-10T16:30:00-05:00',
    };
    await expect(
      rescheduling(w).execute(actorAt(SITE_A), BOOKED_APPOINTMENT, overlapping),
    ).resolves.toMatchObject({
      id: BOOKED_APPOINTMENT,
    });
    w.store.addOccurrence(
      occurrence('00000000-0000-4000-8000-000000000002', {
        starts_at: new Date('2027-03-11T15:30:00Z'),
        ends_at: new Date('2027-03-11T16:30:00Z'),
      }),
    );
    await expect(rescheduling(w).execute(actorAt(SITE_A), BOOKED_APPOINTMENT, LATER)).rejects.toMatchObject({
      code: 'schedule-conflict',
    });
    expect(w.unitOfWork.eventsOf('AppointmentRescheduled')).toHaveLength(1);
  });

  it('answers 422 for a group appointment and 409 for a cancelled one', async () => {
    await expect(
      rescheduling(bookedWorld('group')).execute(actorAt(SITE_A), BOOKED_APPOINTMENT, LATER),
    ).rejects.toMatchObject({
      code: 'unprocessable',
    });
    await expect(
      rescheduling(bookedWorld('individual', 'cancelled')).execute(
        actorAt(SITE_A),
        BOOKED_APPOINTMENT,
        LATER,
      ),
    ).rejects.toMatchObject({ code: 'invalid-transition' });
  });

  it("answers 404 for another site's appointment, auditing the denial with its client", async () => {
    const w = bookedWorld();
    await expect(rescheduling(w).execute(actorAt(SITE_B), BOOKED_APPOINTMENT, LATER)).rejects.toMatchObject({
      code: 'not-found',
    });
    expect(w.records.trail.entries).toEqual([appointmentAudit('reschedule', 'denied')]);
    expect(w.unitOfWork.published).toEqual([]);
  });

  it('answers 400 for an end before the start, before looking the appointment up', async () => {
    const w = bookedWorld();
    const backwards = { ...LATER, endsAt: LATER.startsAt, startsAt: LATER.endsAt };
    await expect(
      rescheduling(w).execute(actorAt(SITE_B), BOOKED_APPOINTMENT, backwards),
    ).rejects.toMatchObject({
      code: 'validation-failed',
    });
    expect(w.records.trail.entries).toEqual([]);
  });
});
