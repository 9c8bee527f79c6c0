/** The rows the schedule and enrollment repositories answer (their SQL is in the repositories). */
import {
  type LevelOfCare,
  type Modality,
  type Population,
  type SessionType,
  type Weekday,
} from '@stepwise/contracts';
import { type LocalDate } from '@stepwise/care-rules';

export type SeriesKind = 'group' | 'individual';

/** A site as the scheduler needs it (dates as text: `date` columns are read as `YYYY-MM-DD`). */
export interface SiteRow {
  readonly id: string;
  readonly network_id: string;
  readonly time_zone: string;
  readonly closures: LocalDate[];
  readonly active: boolean;
}

export interface SeriesRow {
  readonly id: string;
  readonly site_id: string;
  readonly program_track_id: string | null;
  readonly kind: SeriesKind;
  readonly session_type: SessionType;
  readonly weekday: Weekday;
  readonly start_time: string;
  readonly minutes: number;
  readonly facilitator_id: string;
  readonly room: string | null;
  readonly video_link: string | null;
  readonly modality: Modality;
  readonly capacity: number;
  readonly starts_on: LocalDate;
  readonly generated_until: LocalDate | null;
}

export interface EnrollmentRow {
  readonly id: string;
  readonly episode_id: string;
  readonly client_id: string;
  readonly site_id: string;
  readonly program_track_id: string;
  readonly level_of_care: LevelOfCare;
  readonly population: Population;
  readonly primary_counselor_id: string;
  readonly starts_on: LocalDate;
  readonly status: 'active' | 'moved' | 'discharged';
}
