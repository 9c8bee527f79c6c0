import { ReviewDeclineReason, ReviewStatus } from './review.dto';
import { anEpisodeRow } from '../testing/factories';
import { aStayReached, aStepDown } from '../testing/review-factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { OpenReview } from './open-review';

describe('OpenReview', () => {
  let world: UnitWorld;
  let openReview: OpenReview;

  beforeEach(() => {
    world = unitWorld();
    openReview = new OpenReview(injected(world).reviews);
  });

  it('opens one review per recommendation in the site’s queue, even when it is published again', async () => {
    const episode = world.episodes.seed(anEpisodeRow());
    const recommendation = aStepDown(episode);

    await world.unitOfWork.run((tx) => openReview.open(recommendation, tx));
    await world.unitOfWork.run((tx) => openReview.open({ ...recommendation, id: 'republished' }, tx));

    expect(world.reviews.rows()).toEqual([
      expect.objectContaining({
        recommendation_id: recommendation.data.recommendationId,
        direction: 'step-down',
        episode_id: episode.id,
        status: ReviewStatus.Open,
      }),
    ]);
    expect(world.unitOfWork.published).toEqual([]);
  });

  it('records a recommendation about an ended episode as declined', async () => {
    const episode = world.episodes.seed(anEpisodeRow({ status: 'discharged' }));

    await world.unitOfWork.run((tx) => openReview.open(aStepDown(episode), tx));

    expect(world.reviews.rows()).toEqual([
      expect.objectContaining({
        status: ReviewStatus.Declined,
        decline_reason: ReviewDeclineReason.EpisodeEnded,
      }),
    ]);
  });

  it('opens one length-of-stay review in the same queue when the episode reached its expected length', async () => {
    const episode = world.episodes.seed(anEpisodeRow());
    const reached = aStayReached(episode);

    await world.unitOfWork.run((tx) => openReview.openStay(reached, tx));
    await world.unitOfWork.run((tx) => openReview.openStay({ ...reached, id: 'republished' }, tx));

    expect(world.reviews.rows()).toEqual([
      expect.objectContaining({
        recommendation_id: reached.data.stayReviewId,
        direction: 'length-of-stay',
        from_level: '2.1',
        to_level: '2.1',
        site_id: episode.site_id,
        status: ReviewStatus.Open,
        evidence: { expectedStayWeeks: 12, admittedOn: '2026-03-02', reachedOn: '2026-05-25' },
        rule_set_version: 'illustrative-program-shape@1',
      }),
    ]);
  });
});
