/**
 * Scheduling's answers for calendars and rosters, as the service serializes them (timestamps as ISO strings).
 * The service builds them (apps/scheduling/src/appointments/appointment.views.ts) and the console reads them;
 * its OpenAPI document does not describe these answers yet, so this file is their one definition.
 */
export interface OccurrenceView {
  id: string;
  seriesId: string | null;
  siteId: string;
  kind: string;
  sessionType: string;
  facilitatorId: string;
  room: string | null;
  modality: string;
  localDate: string;
  startsAt: string;
  endsAt: string;
  status: string;
}

export interface AppointmentView {
  id: string;
  occurrenceId: string;
  clientId: string;
  episodeId: string;
  siteId: string;
  kind: string;
  sessionType: string;
  facilitatorId: string;
  startsAt: string;
  endsAt: string;
  status: string;
  cancelReason: string | null;
}

export interface RosterView {
  occurrence: OccurrenceView;
  attendees: AppointmentView[];
}
