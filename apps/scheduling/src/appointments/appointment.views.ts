import { type AppointmentView, type OccurrenceView } from '@stepwise/api-model';
import { type AppointmentRow, type OccurrenceRow } from './appointments.repository';

// The answers' shapes are shared with the console (libs/api-model); this file maps the rows to them.
export type { AppointmentView, OccurrenceView, RosterView } from '@stepwise/api-model';

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
