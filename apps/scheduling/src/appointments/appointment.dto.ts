import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsEnum,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { AppointmentKind, CancellationReason, RescheduleReason, SessionType } from '@stepwise/contracts';
import { PageQuery } from '@stepwise/security';
import { IsLocalDate } from '../reference/validators';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/** `from` (included) and `to` (excluded) as local dates of the site, plus the page. */
export class CalendarQuery extends PageQuery {
  @ApiProperty({ example: '2027-03-01' })
  @IsLocalDate()
  from!: string;

  @ApiProperty({ example: '2027-03-29', description: 'Excluded; later than from, at most 92 days after it' })
  @IsLocalDate()
  to!: string;
}

export class ClientCalendarQuery extends CalendarQuery {
  @ApiProperty({ description: "The client's site" })
  @IsUUID('all')
  siteId!: string;
}

export class CancelAppointmentDto {
  @ApiProperty({ enum: CancellationReason })
  @IsEnum(CancellationReason)
  reason!: CancellationReason;
}

export class RescheduleAppointmentDto {
  @ApiProperty({ example: '2027-03-10T15:00:00-05:00' })
  @IsString()
  @Matches(INSTANT, { message: 'startsAt must be an instant with an offset (RFC 3339)' })
  @IsISO8601({ strict: true })
  startsAt!: string;

  @ApiProperty({ example: '2027-03-10T16:00:00-05:00', description: 'Later than startsAt' })
  @IsString()
  @Matches(INSTANT, { message: 'endsAt must be an instant with an offset (RFC 3339)' })
  @IsISO8601({ strict: true })
  endsAt!: string;

  @ApiProperty({ enum: RescheduleReason })
  @IsEnum(RescheduleReason)
  reason!: RescheduleReason;
}

export const BOOKABLE_KINDS = [AppointmentKind.Individual, AppointmentKind.Family] as const;

/** Body of POST /v1/sites/:siteId/appointments: an individual or family session booked by hand. */
export class BookAppointmentDto {
  @ApiProperty()
  @IsUUID('all')
  clientId!: string;

  @ApiProperty()
  @IsUUID('all')
  episodeId!: string;

  @ApiProperty({ enum: BOOKABLE_KINDS })
  @IsIn(BOOKABLE_KINDS)
  kind!: (typeof BOOKABLE_KINDS)[number];

  @ApiProperty({ enum: SessionType })
  @IsEnum(SessionType)
  sessionType!: SessionType;

  @ApiProperty()
  @IsUUID('all')
  facilitatorId!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  room?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @IsUrl({ protocols: ['https'], require_protocol: true })
  videoLink?: string;

  @ApiProperty({ example: '2027-03-10T15:00:00-05:00' })
  @IsString()
  @Matches(INSTANT, { message: 'startsAt must be an instant with an offset (RFC 3339)' })
  @IsISO8601({ strict: true })
  startsAt!: string;

  @ApiProperty({ example: '2027-03-10T16:00:00-05:00', description: 'Later than startsAt' })
  @IsString()
  @Matches(INSTANT, { message: 'endsAt must be an instant with an offset (RFC 3339)' })
  @IsISO8601({ strict: true })
  endsAt!: string;
}
