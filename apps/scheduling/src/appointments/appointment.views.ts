import { type AppointmentRow, type OccurrenceRow } from './appointments.repository';

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

export const occurrenceView = (r: OccurrenceRow): OccurrenceView => ({
  id: r.id,
  seriesId: r.series_id,
  siteId: r.site_id,
  kind: r.kind,
  sessionType: r.session_type,
  facilitatorId: r.facilitator_id,
  room: r.room,
  modality: r.modality,
  localDate: r.local_date,
  startsAt: r.starts_at.toISOString(),
  endsAt: r.ends_at.toISOString(),
  status: r.status,
});

export const appointmentView = (r: AppointmentRow): AppointmentView => ({
  id: r.id,
  occurrenceId: r.occurrence_id,
  clientId: r.client_id,
  episodeId: r.episode_id,
  siteId: r.site_id,
  kind: r.kind,
  sessionType: r.session_type,
  facilitatorId: r.facilitator_id,
  startsAt: r.starts_at.toISOString(),
  endsAt: r.ends_at.toISOString(),
  status: r.status,
  cancelReason: r.cancel_reason,
});
