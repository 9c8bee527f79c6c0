import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { NoteFormat } from '@stepwise/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  Equals,
  IsArray,
  IsEnum,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';

const TEXT_MAX = 10_000;

/** The sections of the note's format; which are required depends on the format (422 otherwise). */
export class NoteSectionsDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT_MAX) subjective?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT_MAX) objective?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT_MAX) data?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT_MAX) behavior?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT_MAX) goal?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT_MAX) intervention?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT_MAX) response?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT_MAX) assessment?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT_MAX) plan?: string;
}

/** A group session's shared part: what the group did. */
export class SharedSectionDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(500) topic!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(TEXT_MAX) interventions!: string;
}

/** One attendee's part of the note. */
export class NoteEntryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'appointmentId must be a UUID' })
  appointmentId!: string;

  @ApiProperty({ type: NoteSectionsDto })
  @ValidateNested()
  @Type(() => NoteSectionsDto)
  sections!: NoteSectionsDto;

  @ApiProperty({
    type: [String],
    description: "Goals of the client's signed treatment plan this session addressed",
  })
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  goalIdsAddressed!: string[];
}

/** The text of a note: replaced whole while it is a draft. */
export class NoteContentDto {
  @ApiPropertyOptional({ type: SharedSectionDto, description: 'Required for a group note, absent otherwise' })
  @IsOptional()
  @ValidateNested()
  @Type(() => SharedSectionDto)
  shared?: SharedSectionDto;

  @ApiProperty({ type: [NoteEntryDto], description: 'Group: one per attendee; individual: exactly one' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => NoteEntryDto)
  entries!: NoteEntryDto[];
}

export const NOTE_KINDS = ['group', 'individual'] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];

/** Input of POST /v1/notes: a draft note for one session occurrence. */
export class CreateNoteDto extends NoteContentDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'occurrenceId must be a UUID' })
  occurrenceId!: string;

  @ApiProperty({ enum: NOTE_KINDS })
  @IsIn(NOTE_KINDS)
  kind!: NoteKind;

  @ApiProperty({ enum: NoteFormat })
  @IsEnum(NoteFormat)
  format!: NoteFormat;
}

/** Body of a signature or co-signature: the signer (the caller) attests the note is complete and accurate. */
export class SignatureDto {
  @ApiProperty({ enum: [true], description: 'Must be true: the signer attests the note' })
  @Equals(true, { message: 'attest must be true' })
  attest!: true;
}

export class AddendumDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(TEXT_MAX) text!: string;
}

export class NoteEntryView {
  @ApiProperty({ format: 'uuid' }) appointmentId!: string;
  @ApiProperty({ format: 'uuid' }) clientId!: string;
  @ApiProperty({ type: NoteSectionsDto }) sections!: NoteSectionsDto;
  @ApiProperty({ type: [String] }) goalIdsAddressed!: string[];
}

export class AddendumView {
  @ApiProperty({ format: 'uuid' }) addendumId!: string;
  @ApiProperty() authorId!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty() text!: string;
}

export class NoteView {
  @ApiProperty({ format: 'uuid' }) noteId!: string;
  @ApiProperty({ format: 'uuid' }) siteId!: string;
  @ApiProperty({ format: 'uuid' }) occurrenceId!: string;
  @ApiProperty({ enum: NOTE_KINDS }) kind!: NoteKind;
  @ApiProperty({ enum: NoteFormat }) format!: NoteFormat;
  @ApiProperty({ enum: ['draft', 'awaiting-cosign', 'signed'] }) status!: string;
  @ApiProperty() cosignRequired!: boolean;
  @ApiPropertyOptional({ type: SharedSectionDto, nullable: true }) shared!: SharedSectionDto | null;
  @ApiProperty({ type: [NoteEntryView] }) entries!: NoteEntryView[];
  @ApiProperty({ type: [AddendumView] }) addenda!: AddendumView[];
  @ApiPropertyOptional({ nullable: true }) signedBy!: string | null;
  @ApiPropertyOptional({ nullable: true }) signedAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) cosignedBy!: string | null;
  @ApiPropertyOptional({ nullable: true }) cosignedAt!: string | null;
}
