import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LevelOfCare, Modality, Population, SessionType, StaffRole } from '@stepwise/contracts';
import { PageQuery } from '@stepwise/security';
import { IsIn, IsOptional } from 'class-validator';
import { IsLocalDate } from '../reference/validators';

/** `active=true|false` filters reference lists; absent lists both. */
export class ActiveListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Default: active and inactive' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'active must be true or false' })
  active?: 'true' | 'false';
}

/** One site-local day, and the page. */
export class DayQuery extends PageQuery {
  @ApiProperty({ example: '2027-03-01', description: 'The site-local date' })
  @IsLocalDate()
  date!: string;
}

export class WeeklySlotItem {
  @ApiProperty() weekday!: string;
  @ApiProperty({ example: '18:00' }) start!: string;
  @ApiProperty() minutes!: number;
  @ApiProperty({ enum: SessionType }) sessionType!: SessionType;
}

export class TrackItem {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) siteId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: LevelOfCare }) levelOfCare!: LevelOfCare;
  @ApiProperty({ enum: Population }) population!: Population;
  @ApiProperty({ enum: Modality }) modality!: Modality;
  @ApiProperty({ type: [WeeklySlotItem] }) weeklyPattern!: WeeklySlotItem[];
  @ApiProperty() plannedWeeklyMinutes!: number;
  @ApiProperty({ nullable: true, type: Number, description: "Null: the level's program shape says" })
  expectedStayWeeks!: number | null;
  @ApiProperty() active!: boolean;
}

/** A staff member as colleagues see them in lists: no e-mail or phone (those are for notifications only). */
export class StaffDirectoryItem {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: StaffRole, isArray: true }) roles!: StaffRole[];
  @ApiProperty({ type: [String], format: 'uuid' }) siteIds!: string[];
  @ApiProperty() active!: boolean;
}

export class SeriesItem {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) siteId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) programTrackId!: string | null;
  @ApiProperty() kind!: string;
  @ApiProperty({ enum: SessionType }) sessionType!: string;
  @ApiProperty() weekday!: string;
  @ApiProperty({ example: '18:00' }) start!: string;
  @ApiProperty() minutes!: number;
  @ApiProperty({ format: 'uuid' }) facilitatorId!: string;
  @ApiProperty({ nullable: true, type: String }) room!: string | null;
  @ApiProperty({ nullable: true, type: String }) videoLink!: string | null;
  @ApiProperty({ enum: Modality }) modality!: string;
  @ApiProperty() capacity!: number;
  @ApiProperty({ description: 'Clients holding a seat now' }) seated!: number;
  @ApiProperty() startsOn!: string;
  @ApiProperty() active!: boolean;
}

/** One booked client of a session: ids only (names are intake's, fetched by the screen that shows them). */
export class RosterItem {
  @ApiProperty({ format: 'uuid' }) appointmentId!: string;
  @ApiProperty({ format: 'uuid' }) clientId!: string;
  @ApiProperty({ format: 'uuid' }) episodeId!: string;
}

/** A session of the day with where it meets, who leads it and who is booked. */
export class DaySessionItem {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) seriesId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) programTrackId!: string | null;
  @ApiProperty({ enum: ['group', 'individual', 'family'] }) kind!: string;
  @ApiProperty({ enum: SessionType }) sessionType!: SessionType;
  @ApiProperty({ enum: Modality }) modality!: Modality;
  @ApiProperty({ nullable: true, type: String }) room!: string | null;
  @ApiProperty({ nullable: true, type: String }) videoLink!: string | null;
  @ApiProperty({ format: 'uuid' }) facilitatorId!: string;
  @ApiProperty({ nullable: true, type: String }) facilitatorName!: string | null;
  @ApiProperty() localDate!: string;
  @ApiProperty({ format: 'date-time' }) startsAt!: string;
  @ApiProperty({ format: 'date-time' }) endsAt!: string;
  @ApiProperty({ enum: ['scheduled', 'cancelled'] }) status!: string;
  @ApiProperty({ type: [RosterItem], description: 'Clients booked (scheduled appointments), by client id' })
  roster!: RosterItem[];
}

const pageOf = <T>(item: new () => T, name: string): new () => { items: T[]; nextCursor: string | null } => {
  class PageOfItems {
    @ApiProperty({ type: [item] }) items!: T[];
    @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page' })
    nextCursor!: string | null;
  }
  Object.defineProperty(PageOfItems, 'name', { value: name });
  return PageOfItems;
};

export const TrackPage = pageOf(TrackItem, 'TrackPage');
export const StaffDirectoryPage = pageOf(StaffDirectoryItem, 'StaffDirectoryPage');
export const SeriesPage = pageOf(SeriesItem, 'SeriesPage');
export const DaySessionPage = pageOf(DaySessionItem, 'DaySessionPage');
