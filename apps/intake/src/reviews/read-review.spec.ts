import { SITE_B, aStaffActor, anEpisodeRow } from '../testing/factories';
import { anOpenReview } from '../testing/review-factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { ReadReview } from './read-review';

describe('ReadReview', () => {
  let world: UnitWorld;
  let read: ReadReview;

  beforeEach(() => {
    world = unitWorld();
    read = new ReadReview(injected(world).records);
  });

  it('shows the review with its evidence, and audits the read', async () => {
    const review = world.reviews.seed(anOpenReview(world.episodes.seed(anEpisodeRow())));

    const view = await read.execute(aStaffActor(), review.id);

    expect(view).toMatchObject({
      id: review.id,
      recommendationId: review.recommendation_id,
      evidence: review.evidence,
      recommendedAt: '2026-03-09T12:00:00.000Z',
      decidedAt: null,
    });
    expect(world.audit.entries).toEqual([
      expect.objectContaining({ action: 'read', resourceType: 'review' }),
    ]);
  });

  it('answers 404 for a review at another site', async () => {
    const review = world.reviews.seed(anOpenReview(anEpisodeRow({ site_id: SITE_B })));

    await expect(read.execute(aStaffActor(), review.id)).rejects.toMatchObject({ code: 'not-found' });
  });
});
