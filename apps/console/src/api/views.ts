/**
 * Answers whose OpenAPI document declares no schema yet (scheduling's calendar and roster): typed here from
 * apps/scheduling/src/appointments/appointment.views.ts until the service documents them.
 */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

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
