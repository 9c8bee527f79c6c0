import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { MetricsService } from '@stepwise/platform';
import { DataSource } from 'typeorm';
import { INTAKE_SCHEMA } from '../intake.schema';

interface ActiveRow {
  site_id: string;
  clinical_level: string;
  population: string;
  n: number;
}

/**
 * Program gauges for the dashboards operations and program directors watch: clients in an active episode by
 * site, clinical level of care and population. Read from the episodes at each scrape (one grouped query), so
 * they are right after a restart and on every replica. Labels are a site id and vocabulary codes, never a
 * client.
 */
@Injectable()
export class ProgramGauges implements OnModuleInit {
  private readonly logger = new Logger('ProgramGauges');

  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
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
}
