import { CancellationReason, LevelOfCare, LevelOfCareChangeKind, Population } from '@stepwise/contracts';
import {
  ENROLLMENT_NOW as NOW,
  EPISODE,
  OTHER_SITE,
  SITE_B_TRACK,
  STEP_DOWN_TRACK,
  TRACK,
  enrolledWorld,
  levelChanged as change,
  transferred,
} from '../testing/enrollment-world';

describe('ChangeLevelOfCare', () => {
  it('moves the client to the new track from now (never the past), releasing the old seats', async () => {
    const w = await enrolledWorld();
    const before = w.store.rows[0];
    await w.unitOfWork.run((tx) =>
      w.changeLevelOfCare.execute(change({ newProgramTrackId: STEP_DOWN_TRACK }), tx),
    );
    expect(w.store.rows.map((r) => [r.program_track_id, r.status])).toEqual([
      [TRACK, 'moved'],
      [STEP_DOWN_TRACK, 'active'],
    ]);
    expect(w.store.rows[0]?.ended_at).toBe(NOW);
    expect(w.seating.left).toEqual([
      { enrollmentId: before?.id, at: NOW, reason: CancellationReason.LevelOfCareChanged },
    ]);
    expect(w.store.rows[1]).toMatchObject({
      level_of_care: LevelOfCare.Outpatient,
      population: Population.Adult,
      starts_on: '2027-03-03',
    });
  });

  it('moves from the effective time when that is later than now', async () => {
    const w = await enrolledWorld();
    await w.unitOfWork.run((tx) =>
      w.changeLevelOfCare.execute(
        change({ newProgramTrackId: STEP_DOWN_TRACK, effectiveAt: '2027-03-08T14:00:00.000Z' }),
        tx,
      ),
    );
    expect(w.store.rows[0]?.ended_at).toBe('2027-03-08T14:00:00.000Z');
    expect(w.store.rows[1]).toMatchObject({ program_track_id: STEP_DOWN_TRACK, starts_on: '2027-03-08' });
    expect(w.unitOfWork.locks.filter((l) => l === `scheduling:episode:${EPISODE}`)).toHaveLength(2);
  });

  it('only records the level when the track stays, and ignores changes only authorised (not clinical)', async () => {
    const w = await enrolledWorld();
    await w.unitOfWork.run((tx) =>
      w.changeLevelOfCare.execute(
        change({ kind: LevelOfCareChangeKind.Authorized, newProgramTrackId: undefined }),
        tx,
      ),
    );
    expect(w.store.rows[0]?.level_of_care).not.toBe(LevelOfCare.Outpatient);
    await w.unitOfWork.run((tx) => w.changeLevelOfCare.execute(change({ newProgramTrackId: TRACK }), tx));
    expect(w.store.rows).toHaveLength(1);
    expect(w.store.rows[0]).toMatchObject({ level_of_care: LevelOfCare.Outpatient, status: 'active' });
    expect(w.seating.left).toEqual([]);
  });

  it('changes nothing for an episode without an active enrollment', async () => {
    const w = await enrolledWorld();
    await w.unitOfWork.run((tx) =>
      w.changeLevelOfCare.execute(
        change({ episodeId: 'e0000000-0000-4000-8000-000000000009', newProgramTrackId: STEP_DOWN_TRACK }),
        tx,
      ),
    );
    expect(w.store.rows).toHaveLength(1);
    expect(w.seating.left).toEqual([]);
  });

  it('moves a transferred client to the track at the other site, as it does for a level change', async () => {
    const w = await enrolledWorld();
    await w.unitOfWork.run((tx) => w.changeLevelOfCare.transfer(transferred(), tx));
    expect(w.store.rows.map((r) => [r.program_track_id, r.site_id, r.status])).toEqual([
      [TRACK, w.store.rows[0]?.site_id, 'moved'],
      [SITE_B_TRACK, OTHER_SITE, 'active'],
    ]);
    expect(w.seating.left).toHaveLength(1);
    expect(w.store.rows[1]).toMatchObject({ level_of_care: LevelOfCare.IntensiveOutpatient });
    // Redelivered, it finds the client already on the new track and moves nothing again.
    await w.unitOfWork.run((tx) => w.changeLevelOfCare.transfer(transferred(), tx));
    expect(w.store.rows).toHaveLength(2);
  });
});
