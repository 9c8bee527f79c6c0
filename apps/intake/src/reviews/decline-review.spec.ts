import { sampleValue } from '@stepwise/testing';
import { SITE_B, STAFF, aStaffActor, anEpisodeRow } from '../testing/factories';
import { anOpenReview } from '../testing/review-factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { DeclineReview } from './decline-review';
import { ReviewDeclineReason, ReviewStatus } from './review.dto';

describe('DeclineReview', () => {
  let world: UnitWorld;
  let decline: DeclineReview;

  beforeEach(() => {
    world = unitWorld();
    const d = injected(world);
    decline = new DeclineReview(d.unitOfWork, d.records, d.reviews, d.clock, d.counters);
  });

  it('closes the review with the clinician’s reason, leaving the episode at its level', async () => {
    const episode = world.episodes.seed(anEpisodeRow());
    const review = world.reviews.seed(anOpenReview(episode));

    const view = await decline.execute(aStaffActor(), review.id, {
      reasonCode: ReviewDeclineReason.RecentRelapse,
    });

    expect(view).toMatchObject({
      status: ReviewStatus.Declined,
      declineReason: ReviewDeclineReason.RecentRelapse,
      decidedBy: STAFF,
      decidedAt: '2026-03-10T15:00:00.000Z',
    });
    expect(world.episodes.row(episode.id)?.clinical_level).toBe(episode.clinical_level);
    // Published, so sessions waits for newer evidence before recommending this move again.
    expect(world.unitOfWork.published).toEqual([
      expect.objectContaining({
        type: 'LevelOfCareRecommendationDeclined',
        payload: expect.objectContaining({
          recommendationId: review.recommendation_id,
          episodeId: episode.id,
          reasonCode: ReviewDeclineReason.RecentRelapse,
          decidedBy: STAFF,
        }),
      }),
    ]);
    expect(world.audit.entries).toEqual([
      expect.objectContaining({ action: 'decline', resourceId: review.id }),
    ]);
    expect(
      await sampleValue(world.metrics.registry, 'stepwise_level_of_care_decisions_total', {
        site: review.site_id,
        direction: review.direction,
        decision: 'declined',
      }),
    ).toBe(1);
  });

  it('closes a length-of-stay review (the stay continues) without publishing a declined recommendation', async () => {
    const episode = world.episodes.seed(anEpisodeRow());
    const review = world.reviews.seed(
      anOpenReview(episode, { direction: 'length-of-stay', to_level: episode.clinical_level }),
    );

    const view = await decline.execute(aStaffActor(), review.id, {
      reasonCode: ReviewDeclineReason.ClinicalJudgement,
    });

    expect(view).toMatchObject({ status: ReviewStatus.Declined, direction: 'length-of-stay' });
    // No move was recommended, so there is no recommendation for sessions to hold back.
    expect(world.unitOfWork.published).toEqual([]);
    expect(world.audit.entries).toEqual([
      expect.objectContaining({ action: 'decline', resourceId: review.id }),
    ]);
  });

  it('answers 409 for a review already decided and 404 for one at another site', async () => {
    const episode = world.episodes.seed(anEpisodeRow());
    const approved = world.reviews.seed(anOpenReview(episode, { status: ReviewStatus.Approved }));
    const elsewhere = world.reviews.seed(anOpenReview(episode, { site_id: SITE_B }));
    const body = { reasonCode: ReviewDeclineReason.ClinicalJudgement };

    await expect(decline.execute(aStaffActor(), approved.id, body)).rejects.toMatchObject({
      code: 'invalid-transition',
    });
    await expect(decline.execute(aStaffActor(), elsewhere.id, body)).rejects.toMatchObject({
      code: 'not-found',
    });
    // Neither refusal is a decision.
    expect(
      await world.metrics.registry.getSingleMetric('stepwise_level_of_care_decisions_total')?.get(),
    ).toMatchObject({ values: [] });
  });
});
