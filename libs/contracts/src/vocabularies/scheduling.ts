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
  /**
   * Network-wide: how drug screens are read (refused, adulterated, dilute and invalid results; the substances
   * each MAT medication is expected to show) and the documentation grace period before a week closes.
   */
  ProgramPolicy = 'program-policy',
}

/** A program policy's reading of a screen result that is neither negative nor positive. */
export enum ScreenResultReading {
  /** Counted as a positive for the progress rules, without moving the sobriety date. */
  TreatedAsPositive = 'treated-as-positive',
  /** Counts neither way; a new specimen is to be collected. */
  RetestRequested = 'retest-requested',
}

/** ScheduleOutsideProgramShape.breaches: how a planned week breaks its level's program shape. */
export enum ProgramShapeBreach {
  TooFewDays = 'too-few-days',
  TooManyDays = 'too-many-days',
  /** Planned minutes at or above the level's upper bound (adult 2.1: 20 hours is no longer IOP). */
  AtOrAboveLevelBound = 'at-or-above-level-bound',
}
