import { RecordingUnitOfWork } from '@stepwise/messaging';
import {
  AppointmentKind,
  LevelOfCare,
  Modality,
  Population,
  SessionType,
  Weekday,
} from '@stepwise/contracts';
import { type BookedSeat, type PlannedWeek } from '../schedule/schedule.repository';
import { type SeriesRow } from '../schedule/schedule.rows';
import { CLIENT, EPISODE, SITE_A, STAFF, TRACK } from './ids';
import { InMemorySchedule } from './in-memory-schedule';

export { CLIENT, EPISODE, TRACK };
export const SCHEDULE_SITE = SITE_A;
export const COUNSELOR = STAFF;
export const MONDAY_GROUP = '90000000-0000-4000-8000-000000000001';
export const WEDNESDAY_GROUP = '90000000-0000-4000-8000-000000000002';
export const ENROLLMENT = '80000000-0000-4000-8000-000000000001';
/** "Now" of the schedule unit tests: Wednesday 3 March 2027, 10:00 in New York (standard time). */
export const SCHEDULE_NOW = new Date('2027-03-03T15:00:00.000Z');

/** A weekly Monday 6 pm process group at the site from 1 March 2027 (override any column). */
export function seriesRow(id: string, overrides: Partial<SeriesRow> = {}): SeriesRow {
  return {
    id,
    site_id: SCHEDULE_SITE,
    program_track_id: TRACK,
    kind: 'group',
    session_type: SessionType.ProcessGroup,
    weekday: Weekday.Monday,
    start_time: '18:00',
    minutes: 180,
    facilitator_id: COUNSELOR,
    room: 'Room 1',
    video_link: null,
    modality: Modality.InPerson,
    capacity: 12,
    starts_on: '2027-03-01',
    generated_until: null,
    ...overrides,
  };
}

/** An appointment the bulk booking made for the client, at `startsAt` for three hours. */
export function bookedSeat(id: string, startsAt: string): BookedSeat {
  const start = new Date(startsAt);
  return {
    id,
    occurrence_id: '00000000-0000-4000-8000-000000000001',
    client_id: CLIENT,
    episode_id: EPISODE,
    site_id: SCHEDULE_SITE,
    starts_at: start,
    ends_at: new Date(start.getTime() + 180 * 60_000),
    kind: AppointmentKind.Group,
    session_type: SessionType.ProcessGroup,
    modality: Modality.InPerson,
    facilitator_id: COUNSELOR,
  };
}

/** The client's enrollment (2.1, adult: 540 minutes a week required) with `minutes` planned in a week. */
export function plannedWeek(
  weekStart: string | null,
  minutes: number | null,
  days: number | null = minutes === null ? null : 3,
): PlannedWeek & { site_id: string } {
  return {
    id: ENROLLMENT,
    episode_id: EPISODE,
    client_id: CLIENT,
    level_of_care: LevelOfCare.IntensiveOutpatient,
    population: Population.Adult,
    starts_on: '2027-03-01',
    week_start: weekStart,
    minutes,
    days,
    site_id: SCHEDULE_SITE,
  };
}

/** The generated schedule of one New York site, closed on 22 March 2027. */
export function scheduleWorld(): { store: InMemorySchedule; unitOfWork: RecordingUnitOfWork } {
  const store = new InMemorySchedule();
  store.addSite(SCHEDULE_SITE, { closures: ['2027-03-22'] });
  return { store, unitOfWork: new RecordingUnitOfWork() };
}
