import { type DrugScreenResult } from '@stepwise/contracts';
import { type ScreenEvidence } from './screen-interpretation';

/** How a client took part in one appointment, as recorded by staff. */
export type AttendanceOutcome = 'present' | 'late' | 'left-early' | 'absent' | 'excused';

export const ATTENDED_OUTCOMES: readonly AttendanceOutcome[] = ['present', 'late', 'left-early'];

export function isAttended(outcome: AttendanceOutcome): boolean {
  return ATTENDED_OUTCOMES.includes(outcome);
}

/** The facts the rules read, each with the date it happened on in the site's time zone. */
export interface AttendanceFact {
  readonly appointmentId: string;
  readonly sessionDate: string;
  /** Orders sessions of one day. */
  readonly startsAt: string;
  readonly outcome: AttendanceOutcome;
  readonly minutes: number;
}

export interface ScreenFact {
  readonly screenId: string;
  readonly collectedOn: string;
  readonly collectedAt: string;
  readonly result: DrugScreenResult;
  /** What the screen counts as for the rules (its interpretation when recorded, `interpretScreen`). */
  readonly evidence: ScreenEvidence;
}

export interface PlanReviewFact {
  readonly reviewedOn: string;
  readonly reviewedAt: string;
  readonly goalsMet: number;
  readonly goalsTotal: number;
}

export interface AssessmentFact {
  readonly assessmentId: string;
  readonly assessedOn: string;
  readonly assessedAt: string;
  readonly dimensionRatings: readonly number[];
}

/** Everything known about one episode of care, as the rules see it. */
export interface EpisodeFacts {
  readonly admittedOn: string;
  /**
   * The local date the current level of care began, when a level change followed admission (absent or null:
   * the episode is still at its admission level). Time at a level counts from here (a step-down from PHP after
   * three weeks means three weeks in PHP, not since admission to IOP).
   */
  readonly levelSinceOn?: string | null | undefined;
  readonly dischargedOn: string | null;
  readonly attendance: readonly AttendanceFact[];
  readonly screens: readonly ScreenFact[];
  readonly reviews: readonly PlanReviewFact[];
  readonly assessments: readonly AssessmentFact[];
}

/** The latest date any dated fact of the episode happened on (admission when there is nothing else). */
export function latestFactDate(facts: EpisodeFacts): string {
  const dates = [
    facts.admittedOn,
    ...facts.attendance.map((a) => a.sessionDate),
    ...facts.screens.map((s) => s.collectedOn),
    ...facts.reviews.map((r) => r.reviewedOn),
    ...facts.assessments.map((a) => a.assessedOn),
  ];
  return dates.reduce((latest, date) => (date > latest ? date : latest));
}

export function byTime<T>(key: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}
