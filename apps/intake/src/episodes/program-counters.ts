import { Injectable } from '@nestjs/common';
import { type Transaction } from '@stepwise/messaging';
import { MetricsService } from '@stepwise/platform';
import { type Counter } from 'prom-client';

/**
 * The program's counters intake owns: admissions, discharges and clinicians' level-of-care decisions, per
 * site (a UUID) and vocabulary codes — never a client. Each counts on `tx.afterCommit`: a use case Postgres
 * aborted and ran again, or one that failed, counts nothing; an idempotent replay does not run the use case.
 */
@Injectable()
export class ProgramCounters {
  private readonly admissions: Counter<'site' | 'level' | 'population'>;
  private readonly discharges: Counter<'site' | 'level' | 'reason'>;
  private readonly decisions: Counter<'site' | 'direction' | 'decision'>;

  constructor(metrics: MetricsService) {
    this.admissions = metrics.counter({
      name: 'stepwise_admissions_total',
      help: 'Clients admitted (an episode of care opened), by site, ASAM level of care and population',
      labelNames: ['site', 'level', 'population'],
    });
    this.discharges = metrics.counter({
      name: 'stepwise_discharges_total',
      help: 'Episodes of care closed by discharge, by site, clinical level at discharge and reason code',
      labelNames: ['site', 'level', 'reason'],
    });
    this.decisions = metrics.counter({
      name: 'stepwise_level_of_care_decisions_total',
      help: 'Level-of-care reviews decided by a clinician, by site, direction and decision (approved, declined)',
      labelNames: ['site', 'direction', 'decision'],
    });
  }

  admitted(tx: Transaction, labels: { site: string; level: string; population: string }): void {
    tx.afterCommit(() => this.admissions.inc(labels));
  }

  discharged(tx: Transaction, labels: { site: string; level: string; reason: string }): void {
    tx.afterCommit(() => this.discharges.inc(labels));
  }

  decided(
    tx: Transaction,
    labels: { site: string; direction: string; decision: 'approved' | 'declined' },
  ): void {
    tx.afterCommit(() => this.decisions.inc(labels));
  }
}
