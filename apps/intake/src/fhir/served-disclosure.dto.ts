import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ConsentPurpose, DisclosedResourceType, RecipientKind } from '@stepwise/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEnum,
  IsIn,
  IsObject,
  IsOptional,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { DisclosureRefusal } from '../consents/disclosure';

/** The resource types another service serves (intake serves its own through `FhirController`). */
export const SERVED_TYPES = [DisclosedResourceType.Appointment, DisclosedResourceType.Encounter] as const;
export type ServedType = (typeof SERVED_TYPES)[number];

/** The most resources one disclosure carries: a page of a search (the serving services page by 50 at most). */
export const MAX_SERVED_RESOURCES = 100;

const ORGANISATION_KINDS = Object.values(RecipientKind).filter((k) => k !== RecipientKind.FamilyMember);
const HTTP_URL = /^https?:\/\/\S+$/;

/** The outside system the resources are for, as its (verified) integration token names it. */
export class ServedRecipientDto {
  @ApiProperty({ enum: ORGANISATION_KINDS })
  @IsIn(ORGANISATION_KINDS, { message: 'recipient.kind must be an organisation kind' })
  kind!: RecipientKind;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'recipient.id must be a UUID' })
  id!: string;

  @ApiProperty({ enum: ConsentPurpose, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsEnum(ConsentPurpose, { each: true })
  purposes!: ConsentPurpose[];
}

/** Where a search was asked, so the Bundle's links and full URLs name the serving service. */
export class ServedSearchDto {
  @ApiProperty({ example: 'https://scheduling.example/fhir/r4' })
  @Matches(HTTP_URL, { message: 'search.base must be an http(s) URL' })
  @MaxLength(500)
  base!: string;

  @ApiProperty({ example: 'https://scheduling.example/fhir/r4/Appointment?patient=…' })
  @Matches(HTTP_URL, { message: 'search.self must be an http(s) URL' })
  @MaxLength(2000)
  self!: string;
}

/**
 * A disclosure another service asks intake to decide and record: the resources of one client it would answer
 * an outside system with (unlabelled), one for a read by id, a page of them for a search.
 */
export class ServedDisclosureDto {
  @ApiProperty({ type: ServedRecipientDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ServedRecipientDto)
  recipient!: ServedRecipientDto;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'clientId must be a UUID' })
  clientId!: string;

  @ApiProperty({ enum: SERVED_TYPES })
  @IsIn(SERVED_TYPES, { message: `resourceType must be one of ${SERVED_TYPES.join(', ')}` })
  resourceType!: ServedType;

  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'FHIR R4 resources of resourceType' })
  @IsArray()
  @ArrayMaxSize(MAX_SERVED_RESOURCES)
  @IsObject({ each: true })
  resources!: Record<string, unknown>[];

  @ApiPropertyOptional({ type: ServedSearchDto, description: 'Present for a search: the answer is a Bundle' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ServedSearchDto)
  search?: ServedSearchDto;
}

export class ServedDisclosureView {
  @ApiProperty() allowed!: boolean;

  @ApiPropertyOptional({ description: 'When allowed: the exact body to send (labelled, accounted)' })
  body?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'When allowed: the consent it was made under' })
  consentId?: string;

  @ApiPropertyOptional({ isArray: true, type: String, description: "When allowed: the consent's categories" })
  categories?: readonly string[];

  @ApiPropertyOptional({
    enum: [...Object.values(DisclosureRefusal), 'notice-unavailable'],
    description: 'When refused: why (no-consent answers 404 to the outside system, the others 403)',
  })
  reason?: string;
}
