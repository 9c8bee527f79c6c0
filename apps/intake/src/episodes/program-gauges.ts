import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Clock, MetricsService, readingPerScrape } from '@stepwise/platform';
import { DataSource } from 'typeorm';
import { INTAKE_SCHEMA } from '../intake.schema';

interface ActiveRow {
  site_id: string;
  clinical_level: string;
  population: string;
  n: number;
}

interface OpenReviewRow {
  site_id: string;
  direction: string;
  n: number;
  oldest: Date;
}

/**
 * Program gauges for the dashboards operations and program directors watch: clients in an active episode by
 * site, clinical level of care and population; level-of-care reviews waiting for a clinician by site and
 * direction, and how long the oldest has waited. Read from the episodes and reviews at each scrape (grouped
 * queries), so they are right after a restart and on every replica — where each replica reports the same
 * value, which dashboards aggregate with `max by`, never `sum`. Labels are a site id and vocabulary codes,
 * never a client.
 */
@Injectable()
export class ProgramGauges implements OnModuleInit {
  private readonly logger = new Logger('ProgramGauges');

  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: MetricsService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.registerActiveClients();
    this.registerOpenReviews();
  }

  private registerActiveClients(): void {
    const read = (): Promise<ActiveRow[]> =>
      this.dataSource.query<ActiveRow[]>(
        `SELECT site_id, clinical_level, population, count(*)::int AS n FROM "${INTAKE_SCHEMA}".episodes
          WHERE status = 'active' GROUP BY 1, 2, 3`,
      );
    const logger = this.logger;
    this.metrics.gauge({
      name: 'stepwise_active_clients',
      help: 'Clients in an active episode of care, by site, clinical level of care and population',
      labelNames: ['site', 'level', 'population'] as const,
      async collect() {
        try {
          const rows = await read();
          this.reset();
          for (const row of rows)
            this.set({ site: row.site_id, level: row.clinical_level, population: row.population }, row.n);
        } catch (error) {
          // The scrape still answers (with the last reading); readiness reports the database.
          logger.warn(`Active clients not read: ${(error as Error).message}`);
        }
      },
    });
  }

  private registerOpenReviews(): void {
    // One query per scrape for both gauges: prom-client collects them concurrently, so they share it.
    const read = readingPerScrape(() =>
      this.dataSource.query<OpenReviewRow[]>(
        `SELECT site_id, direction, count(*)::int AS n, min(recommended_at) AS oldest
           FROM "${INTAKE_SCHEMA}".reviews WHERE status = 'open' GROUP BY 1, 2`,
      ),
    );
    const logger = this.logger;
    const clock = this.clock;
    this.metrics.gauge({
      name: 'stepwise_open_level_of_care_reviews',
      help: 'Level-of-care reviews opened and not yet decided, by site and direction',
      labelNames: ['site', 'direction'] as const,
      async collect() {
        try {
          const rows = await read();
          this.reset();
          for (const row of rows) this.set({ site: row.site_id, direction: row.direction }, row.n);
        } catch (error) {
          logger.warn(`Open reviews not read: ${(error as Error).message}`);
        }
      },
    });
    this.metrics.gauge({
      name: 'stepwise_open_level_of_care_review_oldest_age_seconds',
      help: 'Seconds since the oldest undecided level-of-care review was recommended, by site and direction',
      labelNames: ['site', 'direction'] as const,
      async collect() {
        try {
          const rows = await read();
          const now = clock.now().getTime();
          this.reset();
          for (const row of rows) {
            const age = Math.max(0, (now - new Date(row.oldest).getTime()) / 1000);
            this.set({ site: row.site_id, direction: row.direction }, age);
          }
        } catch (error) {
          logger.warn(`Open reviews not read: ${(error as Error).message}`);
        }
      },
    });
  }
}
