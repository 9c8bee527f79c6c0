import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsTimeZone,
  IsUUID,
  Matches,
  ValidateNested,
} from 'class-validator';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export class QuietHoursDto {
  @ApiProperty({ example: '21:00' })
  @Matches(TIME, { message: 'start must be HH:MM' })
  start!: string;

  @ApiProperty({ example: '08:00' })
  @Matches(TIME, { message: 'end must be HH:MM' })
  end!: string;
}

/** A recipient's preferences. No contact details: those stay with intake and scheduling. */
export class PreferencesDto {
  @ApiProperty({ description: 'Site the recipient belongs to (scopes who may change this).' })
  @IsUUID('all', { message: 'siteId must be a UUID' })
  siteId!: string;

  @ApiProperty({ enum: ['client', 'family', 'staff'] })
  @IsIn(['client', 'family', 'staff'])
  recipientKind!: 'client' | 'family' | 'staff';

  @ApiProperty({ enum: ['email', 'sms'], isArray: true, description: 'In order of preference.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(2)
  @ArrayUnique()
  @IsIn(['email', 'sms'], { each: true })
  channels!: ('email' | 'sms')[];

  @ApiPropertyOptional({ type: QuietHoursDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => QuietHoursDto)
  quietHours?: QuietHoursDto;

  @ApiPropertyOptional({ example: 'America/Chicago' })
  @IsOptional()
  @IsTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({ example: 'es' })
  @IsOptional()
  @Matches(/^[a-z]{2}(-[A-Z]{2})?$/, {
    message: 'preferredLanguage must be a language tag such as es or es-MX',
  })
  preferredLanguage?: string;

  @ApiProperty()
  @IsBoolean()
  optedOut!: boolean;
}
