import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ConsentPurpose, InformationCategory, RecipientKind } from '@stepwise/contracts';
import { PageQuery } from '@stepwise/security';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsIn,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { DATE_ONLY } from '../clients/client.dto';
import { PHONE } from '../referrals/referral.dto';
import { INSTANT } from '../screenings/screening.dto';
import { type DisclosureCategory, DisclosureRefusal, SUD_COUNSELING_NOTES } from './disclosure';

export const SIGNERS = ['client', 'legal-representative'] as const;
export type Signer = (typeof SIGNERS)[number];

export class ConsentRecipientDto {
  @ApiProperty({ enum: RecipientKind }) @IsEnum(RecipientKind) kind!: RecipientKind;

  @ApiProperty({
    format: 'uuid',
    description: 'The recipient party (a family member, organization, payer...)',
  })
  @IsUUID('all', { message: 'recipient.id must be a UUID' })
  id!: string;

  @ApiProperty({
    description:
      "The recipient's name as the form gives it (a person's, or the entity's); required by 42 CFR 2.31. " +
      'Kept here only: never in events, logs or URLs.',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ description: 'E.164: where the recipient receives SMS disclosures' })
  @IsOptional()
  @IsString()
  @Matches(PHONE, { message: 'recipient.phone must be an E.164 number (+ and up to 15 digits)' })
  phone?: string;

  @ApiPropertyOptional({ description: 'Where the recipient receives e-mail disclosures' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email?: string;
}

export class SignatureDto {
  @ApiProperty({ enum: SIGNERS }) @IsIn(SIGNERS) signedBy!: Signer;

  @ApiProperty({ example: '2026-03-02' })
  @IsISO8601({ strict: true }, { message: 'signature.signedOn must be a valid date' })
  @Matches(DATE_ONLY, { message: 'signature.signedOn must be a date (YYYY-MM-DD)' })
  signedOn!: string;
}

export const GUARDIANS = ['parent', 'guardian'] as const;

/** A parent's or guardian's signature on a minor's consent (42 CFR 2.14), where program policy requires it. */
export class GuardianSignatureDto {
  @ApiProperty({ enum: GUARDIANS }) @IsIn(GUARDIANS) signedBy!: (typeof GUARDIANS)[number];

  @ApiProperty({ example: '2026-03-02' })
  @IsISO8601({ strict: true }, { message: 'guardianSignature.signedOn must be a valid date' })
  @Matches(DATE_ONLY, { message: 'guardianSignature.signedOn must be a date (YYYY-MM-DD)' })
  signedOn!: string;
}

/**
 * A 42 CFR Part 2 §2.31 consent. Every element is required by the rule; each is optional here only so that a
 * missing one is answered 422 `consent-incomplete` naming the element, rather than a generic 400.
 */
export class GrantConsentDto {
  @ApiProperty({ format: 'uuid', description: 'Who may disclose: the program (site) making the disclosure' })
  @IsOptional()
  @IsUUID('all', { message: 'disclosingProgramId must be a UUID' })
  disclosingProgramId?: string;

  @ApiProperty({ enum: InformationCategory, isArray: true, description: 'What may be disclosed' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsEnum(InformationCategory, { each: true })
  informationCategories?: InformationCategory[];

  @ApiProperty({ type: ConsentRecipientDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ConsentRecipientDto)
  recipient?: ConsentRecipientDto;

  @ApiProperty({ enum: ConsentPurpose, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsEnum(ConsentPurpose, { each: true })
  purposes?: ConsentPurpose[];

  @ApiProperty({ description: 'When the consent expires (ISO 8601 instant)' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'expiresAt must be an instant' })
  @Matches(INSTANT, { message: 'expiresAt must be an ISO 8601 instant with a time zone' })
  expiresAt?: string;

  @ApiPropertyOptional({ enum: ['discharge'], description: 'An event that ends the consent earlier' })
  @IsOptional()
  @IsIn(['discharge'])
  expiresOnEvent?: 'discharge';

  @ApiProperty({ type: SignatureDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SignatureDto)
  signature?: SignatureDto;

  @ApiPropertyOptional({
    type: GuardianSignatureDto,
    description: "A minor's consent: the parent's or guardian's signature, where program policy requires it",
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => GuardianSignatureDto)
  guardianSignature?: GuardianSignatureDto;

  @ApiProperty({ description: 'The client was told of the right to revoke in writing; must be true' })
  @IsOptional()
  @IsBoolean()
  rightToRevokeAcknowledged?: boolean;
}

export class RevokeConsentDto {
  @ApiProperty({ enum: SIGNERS, description: 'Who revoked in writing' }) @IsIn(SIGNERS) revokedBy!: Signer;

  @ApiProperty({ example: '2026-03-20', description: 'The date of the written revocation' })
  @IsISO8601({ strict: true }, { message: 'receivedOn must be a valid date' })
  @Matches(DATE_ONLY, { message: 'receivedOn must be a date (YYYY-MM-DD)' })
  receivedOn!: string;
}

export class ConsentListQuery extends PageQuery {}

/** The redisclosure statement stored with a consent (its version and exact text). */
export class RedisclosureView {
  @ApiProperty({ example: 'redisclosure@2024' }) version!: string;
  @ApiProperty() text!: string;
}

export class ConsentView {
  @ApiProperty() id!: string;
  @ApiProperty() clientId!: string;
  @ApiProperty() disclosingProgramId!: string;
  @ApiProperty({ type: ConsentRecipientDto }) recipient!: ConsentRecipientDto;
  @ApiProperty({ enum: InformationCategory, isArray: true }) informationCategories!: InformationCategory[];
  @ApiProperty({ enum: ConsentPurpose, isArray: true }) purposes!: ConsentPurpose[];
  @ApiProperty() expiresAt!: string;
  @ApiProperty({ nullable: true, type: String }) expiresOnEvent!: string | null;
  @ApiProperty({ type: SignatureDto }) signature!: SignatureDto;
  @ApiProperty({ type: GuardianSignatureDto, nullable: true })
  guardianSignature!: GuardianSignatureDto | null;
  @ApiProperty() rightToRevokeAcknowledged!: boolean;
  @ApiProperty({ type: RedisclosureView, nullable: true }) redisclosure!: RedisclosureView | null;
  @ApiProperty() grantedAt!: string;
  @ApiProperty({ nullable: true, type: String }) revokedAt!: string | null;
  @ApiProperty({ nullable: true, enum: SIGNERS }) revokedBy!: Signer | null;
  @ApiProperty({ nullable: true, type: String }) revocationReceivedOn!: string | null;
}

const CATEGORIES: readonly DisclosureCategory[] = [
  ...Object.values(InformationCategory),
  SUD_COUNSELING_NOTES,
];

/** The notifications service's question: may this recipient receive this category for this purpose now? */
export class DisclosureCheckDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all', { message: 'clientId must be a UUID' }) clientId!: string;
  @ApiProperty({ enum: RecipientKind }) @IsEnum(RecipientKind) recipientKind!: RecipientKind;
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'recipientId must be a UUID' })
  recipientId!: string;
  @ApiProperty({ enum: CATEGORIES }) @IsIn(CATEGORIES) category!: DisclosureCategory;
  @ApiProperty({ enum: ConsentPurpose }) @IsEnum(ConsentPurpose) purpose!: ConsentPurpose;
}

/** What a disclosure under the consent must carry of it: scope and redisclosure statement (no names). */
export class ConsentTermsView {
  @ApiProperty({ enum: InformationCategory, isArray: true }) informationCategories!: string[];
  @ApiProperty({ enum: ConsentPurpose, isArray: true }) purposes!: string[];
  @ApiProperty() expiresAt!: string;
  @ApiProperty({ nullable: true, type: String }) expiresOnEvent!: string | null;
  @ApiProperty({ type: RedisclosureView }) redisclosure!: RedisclosureView;
}

export class DisclosureDecisionView {
  @ApiProperty() allowed!: boolean;
  @ApiPropertyOptional({ description: 'When allowed: the consent that allows it' }) consentId?: string;
  @ApiPropertyOptional({
    type: ConsentTermsView,
    description:
      'When allowed: the terms the disclosure must carry (absent for a consent stored without them)',
  })
  terms?: ConsentTermsView;
  @ApiPropertyOptional({ enum: DisclosureRefusal, description: 'When refused: why' })
  reason?: DisclosureRefusal;
}
