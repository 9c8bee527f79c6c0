import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ReferralSource } from '@stepwise/contracts';
import { PageQuery } from '@stepwise/security';
import { Type } from 'class-transformer';
import {
  IsEmail,
  IsEnum,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ReferralReason, ReferralStatus } from './referral.rules';

export const PHONE = /^\+[1-9]\d{6,14}$/;

/** Who made the referral and how to reach them (PHI of the referrer; never in events). */
export class ReferrerDto {
  @ApiProperty({ maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  organization?: string;

  @ApiPropertyOptional({ description: 'E.164, e.g. +15555550100' })
  @IsOptional()
  @IsString()
  @Matches(PHONE, { message: 'phone must be an E.164 number (+ and up to 15 digits)' })
  phone?: string;

  @ApiPropertyOptional({ maxLength: 254 })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email?: string;
}

export class CreateReferralDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'siteId must be a UUID' })
  siteId!: string;

  @ApiProperty({ enum: ReferralSource })
  @IsEnum(ReferralSource)
  source!: ReferralSource;

  @ApiProperty({ enum: ReferralReason })
  @IsEnum(ReferralReason)
  reasonCode!: ReferralReason;

  @ApiProperty({ type: ReferrerDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ReferrerDto)
  referrer!: ReferrerDto;
}

export const SETTABLE_STATUSES = [
  ReferralStatus.Screening,
  ReferralStatus.Assessed,
  ReferralStatus.Declined,
  ReferralStatus.ReferredElsewhere,
] as const;

export class ReferralTransitionDto {
  @ApiProperty({
    enum: SETTABLE_STATUSES,
    description: '`admitted` is set by an admission naming the referral',
  })
  @IsIn(SETTABLE_STATUSES)
  to!: (typeof SETTABLE_STATUSES)[number];
}

export class ReferralListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ReferralStatus })
  @IsOptional()
  @IsEnum(ReferralStatus)
  status?: ReferralStatus;
}

export class ReferralView {
  @ApiProperty() id!: string;
  @ApiProperty() siteId!: string;
  @ApiProperty({ enum: ReferralSource }) source!: ReferralSource;
  @ApiProperty({ enum: ReferralReason }) reasonCode!: ReferralReason;
  @ApiProperty({ type: ReferrerDto }) referrer!: ReferrerDto;
  @ApiProperty({ enum: ReferralStatus }) status!: ReferralStatus;
  @ApiProperty({ nullable: true, type: String }) clientId!: string | null;
  @ApiProperty() receivedAt!: string;
  @ApiProperty() updatedAt!: string;
}
