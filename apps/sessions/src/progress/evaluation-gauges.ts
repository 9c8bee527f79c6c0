import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { MetricsService, readingPerScrape } from '@stepwise/platform';
import { type Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { table } from '../sessions.tables';

interface DueReading {
  due: number;
  retrying: number;
  /** Seconds since the oldest mark, by the database's clock (which wrote `marked_at`); 0 when none. */
  age: number;
}

/**
 * How far the progress evaluations left for after the commit (`DeferredEvaluation`) are behind: episodes marked
 * due, those whose evaluation failed and waits for a retry, and how long the oldest mark has waited. Normally a
 * mark lives for milliseconds; a growing age means evaluations do not run (the pass is stuck, the database
 * refuses them) or one keeps failing — closed weeks, engagement risks and step-down recommendations are then
 * late for the counselors, with nothing in any answer to show it. Read from `evaluations_due` at each scrape
 * (the age by the database's clock, which stamps the marks), so every replica reports the same figure
 * (aggregate with `max`). No labels: which episode is in the log line of its failure, never in a metric.
 */
@Injectable()
export class EvaluationGauges implements OnModuleInit {
  private readonly logger = new Logger('EvaluationGauges');

  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    // One query per scrape for the three gauges: prom-client collects them concurrently, so they share it.
    const read = readingPerScrape(() =>
      this.dataSource
        .query<DueReading[]>(
          `SELECT count(*)::int AS due, (count(*) FILTER (WHERE attempts > 0))::int AS retrying,
                  COALESCE(extract(epoch FROM clock_timestamp() - min(marked_at)), 0)::float8 AS age
             FROM ${table('evaluations_due')}`,
        )
        .then(([row]) => row ?? { due: 0, retrying: 0, age: 0 }),
    );
    const logger = this.logger;
    // Each gauge's `collect` sets its figure of the shared reading; a failed read keeps the last one.
    const collect = (value: (reading: DueReading) => number) =>
      async function (this: Gauge): Promise<void> {
        try {
          this.set(value(await read()));
        } catch (error) {
          // The scrape still answers; readiness reports the database.
          logger.warn(`Evaluations due not read: ${(error as Error).message}`);
        }
      };
    this.metrics.gauge({
      name: 'stepwise_progress_evaluations_due',
      help: "Episodes whose progress evaluation (weeks, risks, recommendations) waits to run after the change's commit",
      collect: collect((r) => r.due),
    });
    this.metrics.gauge({
      name: 'stepwise_progress_evaluations_retrying',
      help: 'Episodes whose progress evaluation failed and waits for its next attempt',
      collect: collect((r) => r.retrying),
    });
    this.metrics.gauge({
      name: 'stepwise_progress_evaluation_oldest_age_seconds',
      help: 'Seconds the oldest episode due for evaluation has waited since it was marked (0 when none is due)',
      collect: collect((r) => Math.max(0, r.age)),
    });
  }
}
