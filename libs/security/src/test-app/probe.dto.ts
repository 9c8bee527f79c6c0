import { Type } from 'class-transformer';
import {
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../pagination/page';

export const PROBE_KINDS = ['screening', 'attendance', 'note'] as const;

/** Input of POST /v1/probes: no id, network, creator, timestamps or status — the server sets those. */
export class CreateProbeDto {
  @IsUUID('all', { message: 'siteId must be a UUID' })
  siteId!: string;

  @IsUUID('all', { message: 'clientId must be a UUID' })
  clientId!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  label!: string;

  @IsIn(PROBE_KINDS)
  kind!: (typeof PROBE_KINDS)[number];

  @IsISO8601({ strict: true }, { message: 'observedOn must be a valid date' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'observedOn must be a date (YYYY-MM-DD)' })
  observedOn!: string;
}

export class UpdateProbeDto {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  label!: string;
}

export class ProbeListQuery extends PageQuery {}

class PostalAddressDto {
  @IsString()
  @MaxLength(200)
  street!: string;

  @IsString()
  @MaxLength(100)
  city!: string;

  @IsString()
  @MaxLength(20)
  postalCode!: string;
}

/** Contact details of a client: everything in here is PHI (the canary test sends it). */
export class ProbeContactDto {
  @IsUUID('all')
  siteId!: string;

  @IsString()
  @MaxLength(100)
  firstName!: string;

  @IsString()
  @MaxLength(100)
  lastName!: string;

  @IsISO8601({ strict: true })
  dateOfBirth!: string;

  @IsString()
  @MaxLength(40)
  phone!: string;

  @IsString()
  @MaxLength(200)
  email!: string;

  @ValidateNested()
  @Type(() => PostalAddressDto)
  address!: PostalAddressDto;

  @IsString()
  @MaxLength(5000)
  note!: string;

  /** How the probe route misbehaves, to exercise each logging path. */
  @IsOptional()
  @IsIn(['log', 'throw', 'database'])
  mode?: 'log' | 'throw' | 'database';
}
