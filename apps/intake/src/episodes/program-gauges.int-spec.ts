import { randomUUID } from 'node:crypto';
import { ManualClock, MetricsService } from '@stepwise/platform';
import { type TestDatabase, createTestDatabase, openServiceDataSource, sampleValue } from '@stepwise/testing';
import { type DataSource } from 'typeorm';
import { intakeMigrations } from '../migrations';
import { ProgramGauges } from './program-gauges';

/*
 * The review gauges read intake's real reviews table at scrape time: what two replicas (or one restarted)
 * report is what the database holds, whatever either did before.
 */
describe('open level-of-care review gauges (real Postgres)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const clock = new ManualClock('2026-03-10T15:00:00Z');
  const [siteA, siteB] = [randomUUID(), randomUUID()];

  beforeAll(async () => {
    db = await createTestDatabase('intake_program_gauges');
    dataSource = await openServiceDataSource(db, 'intake', {
      label: 'program-gauges',
      migrations: intakeMigrations,
    });
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  /** A replica's registry with its gauges over the shared database. */
  function replica(): MetricsService {
    const metrics = new MetricsService('intake');
    new ProgramGauges(dataSource, metrics, clock).onModuleInit();
    return metrics;
  }

  async function review(
    siteId: string,
    direction: 'step-down' | 'step-up',
    recommendedAt: string,
    status = 'open',
  ): Promise<string> {
    const id = randomUUID();
    await dataSource.query(
      `INSERT INTO intake.reviews (id, recommendation_id, direction, client_id, episode_id, site_id, from_level,
         to_level, evidence, rule_set_version, recommended_at, status)
       VALUES ($1, $2, $3, $4, $5, $6, '2.1', '1', '{}', 'v1', $7, $8)`,
      [id, randomUUID(), direction, randomUUID(), randomUUID(), siteId, recommendedAt, status],
    );
    return id;
  }

  it('counts open reviews per site and direction, with the age of the oldest, and follows decisions', async () => {
    const oldest = await review(siteA, 'step-down', '2026-03-08T15:00:00Z');
    await review(siteA, 'step-down', '2026-03-10T14:00:00Z');
    await review(siteA, 'step-up', '2026-03-10T14:59:00Z');
    await review(siteB, 'step-down', '2026-03-01T00:00:00Z', 'approved');
    const [first, second] = [replica(), replica()];

    for (const metrics of [first, second]) {
      const open = (site: string, direction: string) =>
        sampleValue(metrics.registry, 'stepwise_open_level_of_care_reviews', { site, direction });
      const age = (site: string, direction: string) =>
        sampleValue(metrics.registry, 'stepwise_open_level_of_care_review_oldest_age_seconds', {
          site,
          direction,
        });
      expect(await open(siteA, 'step-down')).toBe(2);
      expect(await open(siteA, 'step-up')).toBe(1);
      expect(await age(siteA, 'step-down')).toBe(2 * 24 * 3600);
      expect(await age(siteA, 'step-up')).toBe(60);
    }
    // A decided review is not open: site B has no series at all.
    const exposition = await first.registry.metrics();
    expect(exposition).not.toContain(siteB);

    await dataSource.query(`UPDATE intake.reviews SET status = 'declined' WHERE id = $1`, [oldest]);
    clock.set('2026-03-10T16:00:00Z');
    expect(
      await sampleValue(second.registry, 'stepwise_open_level_of_care_reviews', {
        site: siteA,
        direction: 'step-down',
      }),
    ).toBe(1);
    expect(
      await sampleValue(second.registry, 'stepwise_open_level_of_care_review_oldest_age_seconds', {
        site: siteA,
        direction: 'step-down',
      }),
    ).toBe(2 * 3600);
    // No client id reaches a label.
    const rows = await dataSource.query<{ client_id: string }[]>(`SELECT client_id FROM intake.reviews`);
    const text = await second.registry.metrics();
    for (const row of rows) expect(text).not.toContain(row.client_id);
  });
});
