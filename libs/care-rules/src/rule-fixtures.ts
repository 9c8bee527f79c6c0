import { DrugScreenResult, SubstanceCode } from '@stepwise/contracts';
import { addDays } from './calendar';
import {
  type AssessmentFact,
  type AttendanceFact,
  type AttendanceOutcome,
  type EpisodeFacts,
  type PlanReviewFact,
  type ScreenFact,
} from './facts';
import { ILLUSTRATIVE_PROGRAM_POLICY } from './illustrative-rules';
import { interpretScreen } from './screen-interpretation';

/** Builders of rule facts for specs: sensible defaults, each overridable. */
let sequence = 0;
const id = (): string => `00000000-0000-4000-8000-${String((sequence += 1)).padStart(12, '0')}`;

export function attended(
  sessionDate: string,
  minutes = 180,
  outcome: AttendanceOutcome = 'present',
): AttendanceFact {
  return { appointmentId: id(), sessionDate, startsAt: `${sessionDate}T15:00:00Z`, outcome, minutes };
}

export function missed(sessionDate: string, outcome: 'absent' | 'excused' = 'absent'): AttendanceFact {
  return { appointmentId: id(), sessionDate, startsAt: `${sessionDate}T15:00:00Z`, outcome, minutes: 0 };
}

export function screen(
  collectedOn: string,
  result: DrugScreenResult = DrugScreenResult.Negative,
): ScreenFact {
  const substances = result === DrugScreenResult.Positive ? [SubstanceCode.Other] : [];
  const evidence = interpretScreen(
    result,
    substances,
    collectedOn,
    [],
    ILLUSTRATIVE_PROGRAM_POLICY.programPolicy,
  ).evidence;
  return { screenId: id(), collectedOn, collectedAt: `${collectedOn}T16:00:00Z`, result, evidence };
}

export function review(reviewedOn: string, goalsMet: number, goalsTotal: number): PlanReviewFact {
  return { reviewedOn, reviewedAt: `${reviewedOn}T17:00:00Z`, goalsMet, goalsTotal };
}

export function assessment(assessedOn: string, dimensionRatings: readonly number[]): AssessmentFact {
  return { assessmentId: id(), assessedOn, assessedAt: `${assessedOn}T18:00:00Z`, dimensionRatings };
}

export function episode(overrides: Partial<EpisodeFacts> = {}): EpisodeFacts {
  return {
    admittedOn: '2025-01-06',
    dischargedOn: null,
    attendance: [],
    screens: [],
    reviews: [],
    assessments: [],
    ...overrides,
  };
}

/** One session a day on `count` consecutive days from `from`, the first `attendedCount` attended. */
export function sessions(from: string, count: number, attendedCount: number): AttendanceFact[] {
  return Array.from({ length: count }, (_, i) =>
    i < attendedCount ? attended(addDays(from, i)) : missed(addDays(from, i)),
  );
}
