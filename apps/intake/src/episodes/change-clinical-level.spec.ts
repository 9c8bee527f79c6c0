import { randomUUID } from 'node:crypto';
import { LevelOfCare, LevelOfCareChangeKind, LevelOfCareChangeReason } from '@stepwise/contracts';
import { STAFF, anEpisodeRow, episodeSubject } from '../testing/factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { ChangeClinicalLevel, type ClinicalChange } from './change-clinical-level';

describe('ChangeClinicalLevel', () => {
  let world: UnitWorld;
  let changeLevel: ChangeClinicalLevel;
  const newTrack = randomUUID();
  const change = (overrides: Partial<ClinicalChange> = {}): ClinicalChange => ({
    toLevel: LevelOfCare.Outpatient,
    programTrackId: newTrack,
    reasonCode: LevelOfCareChangeReason.StepDown,
    decidedBy: STAFF,
    effectiveAt: new Date('2026-03-10T15:00:00Z'),
    ...overrides,
  });

  beforeEach(() => {
    world = unitWorld();
    changeLevel = new ChangeClinicalLevel(injected(world).episodes);
  });

  it('moves the episode to the new level and track, in its history, and publishes the change', async () => {
    const episode = world.episodes.seed(anEpisodeRow());
    const recommendationId = randomUUID();

    await world.unitOfWork.run((tx) => changeLevel.execute(tx, episode, change({ recommendationId })));

    expect(world.episodes.row(episode.id)).toMatchObject({
      clinical_level: LevelOfCare.Outpatient,
      program_track_id: newTrack,
    });
    const stored = await world.episodes.find(episode.id);
    expect(stored?.history).toEqual([
      expect.objectContaining({
        kind: LevelOfCareChangeKind.Clinical,
        from_level: LevelOfCare.IntensiveOutpatient,
        to_level: LevelOfCare.Outpatient,
        recommendation_id: recommendationId,
        program_track_id: newTrack,
      }),
    ]);
    expect(world.unitOfWork.published).toEqual([
      {
        type: 'LevelOfCareChanged',
        payload: {
          ...episodeSubject(episode),
          kind: LevelOfCareChangeKind.Clinical,
          fromLevel: LevelOfCare.IntensiveOutpatient,
          toLevel: LevelOfCare.Outpatient,
          newProgramTrackId: newTrack,
          recommendationId,
          effectiveAt: '2026-03-10T15:00:00.000Z',
          reasonCode: LevelOfCareChangeReason.StepDown,
          decidedBy: STAFF,
        },
      },
    ]);
  });

  it('publishes no recommendation id for a change a clinician decided without one', async () => {
    const episode = world.episodes.seed(anEpisodeRow());

    await world.unitOfWork.run((tx) => changeLevel.execute(tx, episode, change()));

    expect(world.unitOfWork.published[0]?.payload).not.toHaveProperty('recommendationId');
  });
});
