import { SITE_A, SITE_B, aStaffActor, anEpisodeRow } from '../testing/factories';
import { anOpenReview } from '../testing/review-factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { ListReviews } from './list-reviews';
import { ReviewStatus } from './review.dto';

describe('ListReviews', () => {
  let world: UnitWorld;
  let list: ListReviews;

  beforeEach(() => {
    world = unitWorld();
    const d = injected(world);
    list = new ListReviews(d.reviews, d.audit);
  });

  it('lists the site’s queue of one status, and audits the listing at the site', async () => {
    const episode = anEpisodeRow();
    const open = world.reviews.seed(anOpenReview(episode));
    world.reviews.seed(anOpenReview(episode, { status: ReviewStatus.Approved }));
    world.reviews.seed(anOpenReview(anEpisodeRow({ site_id: SITE_B })));

    const page = await list.execute(aStaffActor(), SITE_A, { status: ReviewStatus.Open });

    expect(page.items.map((review) => review.id)).toEqual([open.id]);
    expect(world.audit.entries).toEqual([
      { action: 'list', resourceType: 'review', siteId: SITE_A, outcome: 'allowed' },
    ]);
  });
});
