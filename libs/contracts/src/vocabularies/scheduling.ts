/** Reason codes of the scheduling service's events. */

/** AppointmentRescheduled.reason */
export enum RescheduleReason {
  ClientRequest = 'client-request',
  FacilitatorUnavailable = 'facilitator-unavailable',
  RoomUnavailable = 'room-unavailable',
  SiteClosure = 'site-closure',
  GroupSeriesChanged = 'group-series-changed',
  LevelOfCareChanged = 'level-of-care-changed',
  Weather = 'weather',
  Administrative = 'administrative',
}

/** AppointmentCancelled.reason */
export enum CancellationReason {
  ClientRequest = 'client-request',
  ClientDischarged = 'client-discharged',
  LevelOfCareChanged = 'level-of-care-changed',
  SessionCancelled = 'session-cancelled',
  FacilitatorUnavailable = 'facilitator-unavailable',
  SiteClosure = 'site-closure',
  Weather = 'weather',
  Administrative = 'administrative',
}

/** CareRuleSetLoaded.kind: which clinical rules a versioned rule set holds. */
export enum CareRuleSetKind {
  /** Per level and population: weekly hour bounds, days per week, expected length of stay. */
  ProgramShape = 'program-shape',
  /** Per level and population: step-down and step-up criteria, note co-signature. */
  Progress = 'progress',
  /** Per payer: the billing code of each level, its day and week minimums, authorization warnings. */
  Billing = 'billing',
}

/** ScheduleOutsideProgramShape.breaches: how a planned week breaks its level's program shape. */
export enum ProgramShapeBreach {
  TooFewDays = 'too-few-days',
  TooManyDays = 'too-many-days',
  /** Planned minutes at or above the level's upper bound (adult 2.1: 20 hours is no longer IOP). */
  AtOrAboveLevelBound = 'at-or-above-level-bound',
}
