import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  AftercareReferral,
  IsCode,
  DischargeReason,
  LevelOfCare,
  LevelOfCareChangeReason,
  Population,
} from '@stepwise/contracts';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsEnum,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { DATE_ONLY } from '../clients/client.dto';

export class AdmitClientDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'siteId must be a UUID' })
  siteId!: string;

  @ApiProperty({ format: 'uuid', description: "A track of the site, from scheduling's reference data" })
  @IsUUID('all', { message: 'programTrackId must be a UUID' })
  programTrackId!: string;

  @ApiProperty({ enum: LevelOfCare })
  @IsEnum(LevelOfCare)
  levelOfCare!: LevelOfCare;

  @ApiProperty({ enum: Population })
  @IsEnum(Population)
  population!: Population;

  @ApiProperty({ format: 'uuid', description: 'Staff id of the primary counselor' })
  @IsUUID('all', { message: 'primaryCounselorId must be a UUID' })
  primaryCounselorId!: string;

  @ApiProperty({ example: '2026-03-02', description: 'First day of the episode, in the site time zone' })
  @IsISO8601({ strict: true }, { message: 'admittedOn must be a valid date' })
  @Matches(DATE_ONLY, { message: 'admittedOn must be a date (YYYY-MM-DD)' })
  admittedOn!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The referral this admission closes' })
  @IsOptional()
  @IsUUID('all', { message: 'referralId must be a UUID' })
  referralId?: string;
}

export class DischargeDto {
  @ApiProperty({ description: 'When the episode ended (ISO 8601 instant)' })
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'dischargedAt must be an instant' })
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/, {
    message: 'dischargedAt must be an ISO 8601 instant with a time zone',
  })
  dischargedAt!: string;

  @ApiProperty({ enum: DischargeReason })
  @IsEnum(DischargeReason)
  reason!: DischargeReason;

  @ApiProperty({ enum: AftercareReferral, isArray: true, description: 'Onward referrals (codes)' })
  @IsArray()
  @ArrayMaxSize(11)
  @ArrayUnique()
  @IsEnum(AftercareReferral, { each: true })
  referredTo!: AftercareReferral[];
}

/** A payer authorization: the authorized level, with its number, units and date range. */
export class AuthorizationDto {
  @ApiProperty({ enum: LevelOfCare })
  @IsEnum(LevelOfCare)
  levelOfCare!: LevelOfCare;

  @ApiProperty({ maxLength: 64 })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  @Matches(/^[A-Za-z0-9-]+$/, { message: 'authorizationNumber must be letters, digits and dashes' })
  authorizationNumber!: string;

  @ApiProperty({
    maxLength: 64,
    example: 'state-medicaid',
    description:
      "The payer's code: its billing rule set (loaded per payer in scheduling) bills the days covered",
  })
  @IsCode()
  payerCode!: string;

  @ApiProperty({ minimum: 1, maximum: 1000, description: 'Authorized units (e.g. IOP days)' })
  @IsInt()
  @Min(1)
  @Max(1000)
  units!: number;

  @ApiProperty({ example: '2026-03-02' })
  @IsISO8601({ strict: true }, { message: 'startsOn must be a valid date' })
  @Matches(DATE_ONLY, { message: 'startsOn must be a date (YYYY-MM-DD)' })
  startsOn!: string;

  @ApiProperty({ example: '2026-04-02' })
  @IsISO8601({ strict: true }, { message: 'endsOn must be a valid date' })
  @Matches(DATE_ONLY, { message: 'endsOn must be a date (YYYY-MM-DD)' })
  endsOn!: string;
}

/** Why a clinician changes a level or a site without a system recommendation (reason codes, never text). */
export const CLINICIAN_REASONS = [
  LevelOfCareChangeReason.ClinicalJudgement,
  LevelOfCareChangeReason.ClientRequest,
  LevelOfCareChangeReason.ClientRelocation,
  LevelOfCareChangeReason.Administrative,
] as const;

/** What moving an episode needs: the new track (any active site of the network), why and from when. */
export class CareSettingChangeDto {
  @ApiProperty({
    format: 'uuid',
    description: "A track of any site of the network, from scheduling's reference data",
  })
  @IsUUID('all', { message: 'programTrackId must be a UUID' })
  programTrackId!: string;

  @ApiProperty({ enum: CLINICIAN_REASONS })
  @IsIn(CLINICIAN_REASONS)
  reasonCode!: (typeof CLINICIAN_REASONS)[number];

  @ApiProperty({ example: '2026-03-16', description: 'First day at the new track, in its site time zone' })
  @IsISO8601({ strict: true }, { message: 'effectiveOn must be a valid date' })
  @Matches(DATE_ONLY, { message: 'effectiveOn must be a date (YYYY-MM-DD)' })
  effectiveOn!: string;
}

/** A clinician's own level change: the new level and a track at it (at the episode's site or another). */
export class LevelChangeDto extends CareSettingChangeDto {
  @ApiProperty({ enum: LevelOfCare })
  @IsEnum(LevelOfCare)
  toLevel!: LevelOfCare;
}

export class LevelChangeView {
  @ApiProperty({ enum: ['clinical', 'authorized'] }) kind!: string;
  @ApiProperty({ nullable: true, type: String }) fromLevel!: string | null;
  @ApiProperty() toLevel!: string;
  @ApiProperty() effectiveAt!: string;
  @ApiProperty() reasonCode!: string;
  @ApiProperty() decidedBy!: string;
  @ApiProperty({ nullable: true, type: String }) recommendationId!: string | null;
  @ApiProperty({ nullable: true, type: String }) programTrackId!: string | null;
  @ApiProperty({ nullable: true, type: String }) authorizationId!: string | null;
  @ApiProperty({ nullable: true, type: String }) payerCode!: string | null;
  @ApiProperty({ nullable: true, type: String }) authorizationNumber!: string | null;
  @ApiProperty({ nullable: true, type: Number }) units!: number | null;
  @ApiProperty({ nullable: true, type: String }) startsOn!: string | null;
  @ApiProperty({ nullable: true, type: String }) endsOn!: string | null;
}

export class EpisodeView {
  @ApiProperty() id!: string;
  @ApiProperty() clientId!: string;
  @ApiProperty() siteId!: string;
  @ApiProperty() programTrackId!: string;
  @ApiProperty({ enum: Population }) population!: Population;
  @ApiProperty({ enum: LevelOfCare }) clinicalLevel!: LevelOfCare;
  @ApiProperty({ enum: LevelOfCare, nullable: true }) authorizedLevel!: LevelOfCare | null;
  @ApiProperty() primaryCounselorId!: string;
  @ApiProperty() admittedOn!: string;
  @ApiProperty() admittedAt!: string;
  @ApiProperty({ enum: ['active', 'discharged'] }) status!: 'active' | 'discharged';
  @ApiProperty({ nullable: true, type: String }) dischargedAt!: string | null;
  @ApiProperty({ nullable: true, enum: DischargeReason }) dischargeReason!: DischargeReason | null;
  @ApiProperty({ enum: AftercareReferral, isArray: true }) referredTo!: AftercareReferral[];
  @ApiProperty({ type: LevelChangeView, isArray: true, description: 'Clinical and authorized, oldest first' })
  levelHistory!: LevelChangeView[];
}
