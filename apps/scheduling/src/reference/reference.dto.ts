import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { LevelOfCare, Modality, Population, SessionType, StaffRole, Weekday } from '@stepwise/contracts';
import { IsIanaTimeZone, IsLocalDate, TIME_OF_DAY } from './validators';

/** Body of PUT /v1/sites/:siteId. The id is the path's; the network is the caller's. */
export class UpsertSiteDto {
  @ApiProperty({ example: 'Riverside Clinic' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'America/New_York' })
  @IsString()
  @MaxLength(64)
  @IsIanaTimeZone()
  timeZone!: string;

  @ApiProperty({ type: [String], example: ['2025-12-25'] })
  @IsArray()
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsLocalDate({ each: true })
  closures!: string[];

  @ApiProperty()
  @IsBoolean()
  active!: boolean;
}

export class WeeklySlotDto {
  @ApiProperty({ enum: Weekday })
  @IsEnum(Weekday)
  weekday!: Weekday;

  @ApiProperty({ example: '18:00', description: 'Local start time (HH:mm) in the site time zone' })
  @IsString()
  @Matches(TIME_OF_DAY, { message: 'start must be a time of day (HH:mm)' })
  start!: string;

  @ApiProperty({ minimum: 15, maximum: 480 })
  @IsInt()
  @Min(15)
  @Max(480)
  minutes!: number;

  @ApiProperty({ enum: SessionType })
  @IsEnum(SessionType)
  sessionType!: SessionType;
}

/** Body of POST /v1/sites/:siteId/tracks and PUT /v1/tracks/:trackId. */
export class ProgramTrackDto {
  @ApiProperty({ example: 'Adult SUD evening' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ enum: LevelOfCare })
  @IsEnum(LevelOfCare)
  levelOfCare!: LevelOfCare;

  @ApiProperty({ enum: Population })
  @IsEnum(Population)
  population!: Population;

  @ApiProperty({ enum: Modality })
  @IsEnum(Modality)
  modality!: Modality;

  @ApiProperty({ type: [WeeklySlotDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => WeeklySlotDto)
  weeklyPattern!: WeeklySlotDto[];

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 104,
    description: "Expected length of stay in weeks (default: the program shape rule set's for the level)",
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(104)
  expectedStayWeeks?: number;

  @ApiProperty()
  @IsBoolean()
  active!: boolean;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 336,
    description:
      'Hours after a week ends (local Monday 00:00) during which late attendance still counts before the week is ' +
      'judged; absent: the program policy in force (a care rule set, 48 in the illustrative one)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(336)
  documentationGraceHours?: number;
}

/** Body of POST /v1/staff and PUT /v1/staff/:staffId. Contact details stay in scheduling. */
export class StaffMemberDto {
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  siteIds!: string[];

  @ApiProperty({ enum: StaffRole, isArray: true })
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsEnum(StaffRole, { each: true })
  roles!: StaffRole[];

  @ApiProperty({ example: 'Dr. Rivera' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName!: string;

  @ApiPropertyOptional({ example: 'rivera@clinic.example' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email?: string;

  @ApiPropertyOptional({ example: '+15551234567', description: 'E.164' })
  @IsOptional()
  @IsString()
  @Matches(/^\+[1-9]\d{6,14}$/, { message: 'phone must be an E.164 number such as +15551234567' })
  phone?: string;

  @ApiProperty({ example: 'America/New_York' })
  @IsString()
  @MaxLength(64)
  @IsIanaTimeZone()
  timeZone!: string;

  @ApiProperty({ example: 'en-US' })
  @IsString()
  @Matches(/^[a-z]{2,3}(-[A-Z]{2})?$/, {
    message: 'preferredLanguage must be a language tag such as en or es-US',
  })
  preferredLanguage!: string;

  @ApiProperty()
  @IsBoolean()
  active!: boolean;
}

export const CONTACT_CHANNELS = ['sms', 'email'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export class ContactQuery {
  @ApiProperty({ enum: CONTACT_CHANNELS })
  @IsIn(CONTACT_CHANNELS, { message: 'channel must be sms or email' })
  channel!: ContactChannel;
}
