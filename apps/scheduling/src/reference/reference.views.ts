import { type ProgramTrackDto, type StaffMemberDto } from './reference.dto';
import { type SiteRow, type StaffRow, type TrackRow } from './reference.repository';

export interface SiteView {
  id: string;
  networkId: string;
  name: string;
  timeZone: string;
  closures: string[];
  active: boolean;
  updatedAt: string;
}

export interface ProgramTrackView extends ProgramTrackDto {
  id: string;
  siteId: string;
  plannedWeeklyMinutes: number;
  updatedAt: string;
}

export interface StaffMemberView extends StaffMemberDto {
  id: string;
  networkId: string;
  updatedAt: string;
}

export interface StaffContactView {
  channel: 'sms' | 'email';
  address: string;
  timeZone: string;
  preferredLanguage: string;
  displayName?: string;
}

export const siteView = (r: SiteRow): SiteView => ({
  id: r.id,
  networkId: r.network_id,
  name: r.name,
  timeZone: r.time_zone,
  closures: [...r.closures].sort(),
  active: r.active,
  updatedAt: r.updated_at.toISOString(),
});

const plannedMinutes = (pattern: ProgramTrackDto['weeklyPattern']): number =>
  pattern.reduce((sum, slot) => sum + slot.minutes, 0);

export const trackView = (r: TrackRow): ProgramTrackView => ({
  id: r.id,
  siteId: r.site_id,
  name: r.name,
  levelOfCare: r.level_of_care,
  population: r.population,
  modality: r.modality,
  weeklyPattern: r.weekly_pattern,
  plannedWeeklyMinutes: plannedMinutes(r.weekly_pattern),
  ...(r.expected_stay_weeks === null ? {} : { expectedStayWeeks: r.expected_stay_weeks }),
  ...(r.documentation_grace_hours === null ? {} : { documentationGraceHours: r.documentation_grace_hours }),
  active: r.active,
  updatedAt: r.updated_at.toISOString(),
});

export const staffView = (r: StaffRow): StaffMemberView => ({
  id: r.id,
  networkId: r.network_id,
  siteIds: r.site_ids,
  roles: r.roles,
  displayName: r.display_name,
  ...(r.email === null ? {} : { email: r.email }),
  ...(r.phone === null ? {} : { phone: r.phone }),
  timeZone: r.time_zone,
  preferredLanguage: r.preferred_language,
  active: r.active,
  updatedAt: r.updated_at.toISOString(),
});
