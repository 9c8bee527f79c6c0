import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsTimeZone,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PHONE } from '../referrals/referral.dto';

export const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export class PostalAddressDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) line1!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) line2?: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) city!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) region!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(20) postalCode!: string;
  @ApiProperty({ description: 'ISO 3166-1 alpha-2' })
  @IsString()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code' })
  country!: string;
}

/** Demographics and contact details: intake is the only service that stores them. */
export class CreateClientDto {
  @ApiProperty({ format: 'uuid', description: 'The site the client is registered at' })
  @IsUUID('all', { message: 'siteId must be a UUID' })
  siteId!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The referral this client came from (same site)' })
  @IsOptional()
  @IsUUID('all', { message: 'referralId must be a UUID' })
  referralId?: string;

  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) givenName!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) familyName!: string;

  @ApiProperty({ example: '1990-04-01' })
  @IsISO8601({ strict: true }, { message: 'dateOfBirth must be a valid date' })
  @Matches(DATE_ONLY, { message: 'dateOfBirth must be a date (YYYY-MM-DD)' })
  dateOfBirth!: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) pronouns?: string;

  @ApiProperty({ description: 'BCP 47 language tag, e.g. en or es-US' })
  @IsString()
  @MaxLength(35)
  @Matches(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { message: 'preferredLanguage must be a BCP 47 tag' })
  preferredLanguage!: string;

  @ApiProperty({ description: 'IANA time zone, e.g. America/Chicago' })
  @IsString()
  @MaxLength(64)
  @IsTimeZone()
  timeZone!: string;

  @ApiPropertyOptional({ description: 'E.164, e.g. +15555550100' })
  @IsOptional()
  @IsString()
  @Matches(PHONE, { message: 'phone must be an E.164 number (+ and up to 15 digits)' })
  phone?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email?: string;

  @ApiPropertyOptional({ type: PostalAddressDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PostalAddressDto)
  address?: PostalAddressDto;
}

export class ClientView {
  @ApiProperty() id!: string;
  @ApiProperty() siteId!: string;
  @ApiProperty({ nullable: true, type: String }) referralId!: string | null;
  @ApiProperty() givenName!: string;
  @ApiProperty() familyName!: string;
  @ApiProperty() dateOfBirth!: string;
  @ApiProperty({ nullable: true, type: String }) pronouns!: string | null;
  @ApiProperty() preferredLanguage!: string;
  @ApiProperty() timeZone!: string;
  @ApiProperty({ nullable: true, type: String }) phone!: string | null;
  @ApiProperty({ nullable: true, type: String }) email!: string | null;
  @ApiProperty({ nullable: true, type: PostalAddressDto }) address!: PostalAddressDto | null;
  @ApiProperty() createdAt!: string;
}

export const CHANNELS = ['sms', 'email'] as const;
export type ContactChannel = (typeof CHANNELS)[number];

export class ContactQuery {
  @ApiProperty({ enum: CHANNELS, description: 'The one channel whose address is wanted' })
  @IsIn(CHANNELS)
  channel!: ContactChannel;
}

/** Only what a notification on one channel needs: minimum necessary. */
export class ContactView {
  @ApiProperty({ enum: CHANNELS }) channel!: ContactChannel;
  @ApiProperty({ description: 'The E.164 phone number (sms) or e-mail address' }) address!: string;
  @ApiProperty() timeZone!: string;
  @ApiProperty() preferredLanguage!: string;
  @ApiPropertyOptional({ description: 'Given name, for a greeting' }) displayName?: string;
}

/** Changes to demographics and contacts: any subset of them (the site and referral are not changed here). */
export class UpdateClientDto extends PartialType(
  OmitType(CreateClientDto, ['siteId', 'referralId'] as const),
) {}
