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
