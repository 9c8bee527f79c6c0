import { CancellationReason } from '@stepwise/contracts';
import {
  ENROLLMENT_NOW as NOW,
  EPISODE,
  discharged,
  enrolledWorld,
  enrollmentWorld,
} from '../testing/enrollment-world';

describe('DischargeClient', () => {
  it('ends the enrollment from the discharge (or now, if earlier) and releases the seats', async () => {
    const w = await enrolledWorld();
    await w.unitOfWork.run((tx) => w.dischargeClient.execute(discharged('2027-03-10T12:00:00.000Z'), tx));
    expect(w.store.rows[0]).toMatchObject({ status: 'discharged', ended_at: '2027-03-10T12:00:00.000Z' });
    expect(w.seating.left).toEqual([
      {
        enrollmentId: w.store.rows[0]?.id,
        at: '2027-03-10T12:00:00.000Z',
        reason: CancellationReason.ClientDischarged,
      },
    ]);
    expect(w.unitOfWork.locks.at(-1)).toBe(`scheduling:episode:${EPISODE}`);
  });

  it('releases from now a discharge recorded after the fact', async () => {
    const w = await enrolledWorld();
    await w.unitOfWork.run((tx) => w.dischargeClient.execute(discharged('2027-03-02T12:00:00.000Z'), tx));
    expect(w.store.rows[0]).toMatchObject({ status: 'discharged', ended_at: NOW });
    expect(w.seating.left.map((l) => l.at)).toEqual([NOW]);
  });

  it('cancels appointments booked by hand when the client was never enrolled', async () => {
    const w = enrollmentWorld();
    await w.unitOfWork.run((tx) => w.dischargeClient.execute(discharged('2027-01-01T00:00:00.000Z'), tx));
    expect(w.seating.cancelled).toEqual([
      { episodeId: EPISODE, reason: CancellationReason.ClientDischarged, at: NOW },
    ]);
  });
});
