import { Injectable } from '@nestjs/common';
import { type Transaction } from '@stepwise/messaging';
import { MetricsService } from '@stepwise/platform';
import { type Counter } from 'prom-client';

/**
 * The program's counters sessions owns: attendance documented, weeks short of their level's minimum hours,
 * level-of-care recommendations made, drug screens resulted — per site (a UUID) and vocabulary codes, never a
 * client or a substance. Each counts on `tx.afterCommit` of the transaction that stored the fact under its
 * natural key, so a rolled-back or retried transaction, a redelivered event and a re-run evaluation that
 * inserts nothing new count nothing.
 */
@Injectable()
export class ProgramCounters {
  private readonly attendance: Counter<'site' | 'outcome'>;
  private readonly shortfalls: Counter<'site' | 'level'>;
  private readonly recommendations: Counter<'site' | 'direction'>;
  private readonly screens: Counter<'site' | 'result'>;

  constructor(metrics: MetricsService) {
    this.attendance = metrics.counter({
      name: 'stepwise_session_attendance_total',
      help: 'Sessions documented for a client the first time, by site and outcome (attended, missed)',
      labelNames: ['site', 'outcome'],
    });
    this.shortfalls = metrics.counter({
      name: 'stepwise_weekly_hours_shortfalls_total',
      help: 'Closed treatment weeks short of the weekly minimum hours of the level of care, by site and level',
      labelNames: ['site', 'level'],
    });
    this.recommendations = metrics.counter({
      name: 'stepwise_level_of_care_recommendations_total',
      help: 'Step-down and step-up recommendations the progress rules made, by site and direction',
      labelNames: ['site', 'direction'],
    });
    this.screens = metrics.counter({
      name: 'stepwise_drug_screens_total',
      help: 'Drug screens resulted, by site and result (negative, positive, dilute, invalid, refused)',
      labelNames: ['site', 'result'],
    });
  }

  /** A client's session documented for the first time (a correction is the same session, not counted). */
  documented(tx: Transaction, labels: { site: string; outcome: 'attended' | 'missed' }): void {
    tx.afterCommit(() => this.attendance.inc(labels));
  }

  shortWeek(tx: Transaction, labels: { site: string; level: string }): void {
    tx.afterCommit(() => this.shortfalls.inc(labels));
  }

  recommended(tx: Transaction, labels: { site: string; direction: 'step-down' | 'step-up' }): void {
    tx.afterCommit(() => this.recommendations.inc(labels));
  }

  screened(tx: Transaction, labels: { site: string; result: string }): void {
    tx.afterCommit(() => this.screens.inc(labels));
  }
}
