import { type MemberRow, type SeriesRecord } from './series.repository';

export interface GroupSeriesView {
  id: string;
  siteId: string;
  programTrackId: string | null;
  kind: string;
  sessionType: string;
  weekday: string;
  start: string;
  minutes: number;
  facilitatorId: string;
  room: string | null;
  videoLink: string | null;
  modality: string;
  capacity: number;
  startsOn: string;
}

export interface CapacityView {
  seriesId: string;
  capacity: number;
  seated: number;
  available: number;
  waitlist: { clientId: string; episodeId: string; position: number; waitlistedAt: string }[];
}

export const seriesView = (r: SeriesRecord): GroupSeriesView => ({
  id: r.id,
  siteId: r.site_id,
  programTrackId: r.program_track_id,
  kind: r.kind,
  sessionType: r.session_type,
  weekday: r.weekday,
  start: r.start_time,
  minutes: r.minutes,
  facilitatorId: r.facilitator_id,
  room: r.room,
  videoLink: r.video_link,
  modality: r.modality,
  capacity: r.capacity,
  startsOn: r.starts_on,
});

/** Seats taken and free, and the waitlist numbered from 1 in its order. */
export function capacityView(series: SeriesRecord, members: readonly MemberRow[]): CapacityView {
  const seated = members.filter((m) => m.status === 'seated').length;
  const waiting = members.filter((m) => m.status === 'waitlisted');
  return {
    seriesId: series.id,
    capacity: series.capacity,
    seated,
    available: Math.max(0, series.capacity - seated),
    waitlist: waiting.map((m, index) => ({
      clientId: m.client_id,
      episodeId: m.episode_id,
      position: index + 1,
      // Rows written before waitlisted_at existed sort and show as the epoch.
      waitlistedAt: (m.waitlisted_at ?? new Date(0)).toISOString(),
    })),
  };
}
