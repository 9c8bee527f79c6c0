import { LevelOfCare, LevelOfCareChangeReason } from '@stepwise/contracts';
import { sampleValue } from '@stepwise/testing';
import { ChangeClinicalLevel } from '../episodes/change-clinical-level';
import { STAFF, aServiceActor, aStaffActor, aTrack, anEpisodeRow } from '../testing/factories';
import { anOpenReview } from '../testing/review-factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { ApproveReview } from './approve-review';
import { ReviewStatus } from './review.dto';

describe('ApproveReview', () => {
  let world: UnitWorld;
  let approve: ApproveReview;
  const outpatient = aTrack({ levelOfCare: LevelOfCare.Outpatient });

  beforeEach(() => {
    world = unitWorld();
    world.reference.withTrack(outpatient);
    const d = injected(world);
    approve = new ApproveReview(
      d.unitOfWork,
      d.records,
      d.reviews,
      new ChangeClinicalLevel(d.episodes),
      d.reference,
      d.clock,
      d.counters,
    );
  });

  it('counts the approval in stepwise_level_of_care_decisions_total once; a refused second approval not', async () => {
    const episode = world.episodes.seed(anEpisodeRow());
    const review = world.reviews.seed(anOpenReview(episode));
    const approvals = () =>
      sampleValue(world.metrics.registry, 'stepwise_level_of_care_decisions_total', {
        site: episode.site_id,
        direction: review.direction,
        decision: 'approved',
      });

    await approve.execute(aStaffActor(), review.id, { programTrackId: outpatient.id });
    expect(await approvals()).toBe(1);
    await expect(
      approve.execute(aStaffActor(), review.id, { programTrackId: outpatient.id }),
    ).rejects.toMatchObject({ code: 'invalid-transition' });
    expect(await approvals()).toBe(1);
  });

  it('moves the episode to the recommended level and track, publishing the change, and closes the review', async () => {
    const episode = world.episodes.seed(anEpisodeRow());
    const review = world.reviews.seed(anOpenReview(episode));

    const view = await approve.execute(aStaffActor(), review.id, { programTrackId: outpatient.id });

    expect(view).toMatchObject({
      status: ReviewStatus.Approved,
      decidedBy: STAFF,
      decidedAt: '2026-03-10T15:00:00.000Z',
      programTrackId: outpatient.id,
    });
    expect(world.episodes.row(episode.id)).toMatchObject({
      clinical_level: LevelOfCare.Outpatient,
      program_track_id: outpatient.id,
    });
    expect(world.unitOfWork.published).toEqual([
      {
        type: 'LevelOfCareChanged',
        payload: expect.objectContaining({
          toLevel: LevelOfCare.Outpatient,
          reasonCode: LevelOfCareChangeReason.StepDown,
          recommendationId: review.recommendation_id,
        }),
      },
    ]);
    expect(world.audit.entries.at(-1)).toMatchObject({ action: 'approve', resourceId: review.id });
  });

  it('answers 409 when the episode moved on since the recommendation, changing nothing', async () => {
    const episode = world.episodes.seed(anEpisodeRow({ clinical_level: LevelOfCare.PartialHospitalization }));
    const review = world.reviews.seed(anOpenReview(episode));

    await expect(
      approve.execute(aStaffActor(), review.id, { programTrackId: outpatient.id }),
    ).rejects.toMatchObject({ code: 'invalid-transition' });
    expect(world.reviews.row(review.id)?.status).toBe(ReviewStatus.Open);
    expect(world.unitOfWork.published).toEqual([]);
  });

  it('answers 409 for a length-of-stay review: it is closed by declining it or by a level change', async () => {
    const episode = world.episodes.seed(anEpisodeRow());
    const review = world.reviews.seed(
      anOpenReview(episode, { direction: 'length-of-stay', to_level: LevelOfCare.IntensiveOutpatient }),
    );
    await expect(
      approve.execute(aStaffActor(), review.id, { programTrackId: outpatient.id }),
    ).rejects.toMatchObject({ code: 'invalid-transition' });
    expect(world.unitOfWork.published).toEqual([]);
  });

  it('answers 409 for a review already decided', async () => {
    const episode = world.episodes.seed(anEpisodeRow());
    const review = world.reviews.seed(anOpenReview(episode, { status: ReviewStatus.Declined }));

    await expect(
      approve.execute(aStaffActor(), review.id, { programTrackId: outpatient.id }),
    ).rejects.toMatchObject({ code: 'invalid-transition' });
  });

  it('answers 422 for a track not at the recommended level', async () => {
    const episode = world.episodes.seed(anEpisodeRow());
    const review = world.reviews.seed(anOpenReview(episode));
    const iop = aTrack();
    world.reference.withTrack(iop);

    await expect(approve.execute(aStaffActor(), review.id, { programTrackId: iop.id })).rejects.toMatchObject(
      {
        code: 'unknown-program-track',
      },
    );
  });

  it('answers 403 to a caller that is not a staff member', async () => {
    const episode = world.episodes.seed(anEpisodeRow());
    const review = world.reviews.seed(anOpenReview(episode));

    await expect(
      approve.execute(aServiceActor(), review.id, { programTrackId: outpatient.id }),
    ).rejects.toMatchObject({ code: 'permission-denied' });
  });
});
