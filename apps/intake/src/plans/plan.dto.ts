import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SessionType } from '@stepwise/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEnum,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { DATE_ONLY } from '../clients/client.dto';
import { INSTANT } from '../screenings/screening.dto';

/** Plan text: free text is PHI, stored in intake only and never put in an event. */
const Text = (max: number): PropertyDecorator => applyDecorators(IsString(), MinLength(1), MaxLength(max));

export class ObjectiveDto {
  @ApiProperty({ description: 'Measurable: what, how much, by when' }) @Text(1000) description!: string;
  @ApiProperty({ description: 'How it is measured' }) @Text(500) measure!: string;

  @ApiProperty({ example: '2026-04-30' })
  @IsISO8601({ strict: true }, { message: 'targetDate must be a valid date' })
  @Matches(DATE_ONLY, { message: 'targetDate must be a date (YYYY-MM-DD)' })
  targetDate!: string;
}

export class InterventionDto {
  @ApiProperty() @Text(1000) description!: string;
  @ApiPropertyOptional({ enum: SessionType }) @IsOptional() @IsEnum(SessionType) sessionType?: SessionType;
  @ApiProperty({ example: 'weekly' }) @Text(100) frequency!: string;
}

export class GoalDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: "Carries a goal of the episode's earlier version forward",
  })
  @IsOptional()
  @IsUUID('all', { message: 'goal id must be a UUID' })
  id?: string;

  @ApiProperty() @Text(1000) description!: string;

  @ApiProperty({ type: [ObjectiveDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ObjectiveDto)
  objectives!: ObjectiveDto[];

  @ApiProperty({ type: [InterventionDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => InterventionDto)
  interventions!: InterventionDto[];
}

export class ProblemDto {
  @ApiProperty() @Text(1000) description!: string;

  @ApiProperty({ type: [GoalDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => GoalDto)
  goals!: GoalDto[];
}

/** A new version of the episode's plan (a draft until signed). */
export class DraftPlanDto {
  @ApiProperty({ type: [ProblemDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ProblemDto)
  problems!: ProblemDto[];
}

export class SignPlanDto {
  @ApiProperty({ example: '2026-03-04', description: 'The date the client signed' })
  @IsISO8601({ strict: true }, { message: 'clientSignedOn must be a valid date' })
  @Matches(DATE_ONLY, { message: 'clientSignedOn must be a date (YYYY-MM-DD)' })
  clientSignedOn!: string;
}

export class ReviewPlanDto {
  @ApiProperty({ type: [String], description: 'The ids of the goals met (goals of this plan version)' })
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'each goal id must be a UUID' })
  goalsMet!: string[];

  @ApiProperty({ description: 'When the review was held (ISO 8601 instant)' })
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'reviewedAt must be an instant' })
  @Matches(INSTANT, { message: 'reviewedAt must be an ISO 8601 instant with a time zone' })
  reviewedAt!: string;
}

export class PlanView {
  @ApiProperty() id!: string;
  @ApiProperty() episodeId!: string;
  @ApiProperty() clientId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ enum: ['draft', 'signed', 'superseded'] }) status!: 'draft' | 'signed' | 'superseded';
  @ApiProperty({
    type: [ProblemDto],
    description: 'Every problem, goal, objective and intervention has an id',
  })
  problems!: ProblemDto[];
  @ApiProperty({ type: [String] }) goalIds!: string[];
  @ApiProperty({ nullable: true, type: String }) clientSignedOn!: string | null;
  @ApiProperty({ nullable: true, type: String }) signedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) signedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) reviewDueOn!: string | null;
}

export class PlanReviewView {
  @ApiProperty() id!: string;
  @ApiProperty() planId!: string;
  @ApiProperty({ type: [String] }) goalsMet!: string[];
  @ApiProperty() goalsTotal!: number;
  @ApiProperty() reviewedAt!: string;
  @ApiProperty() reviewedBy!: string;
  @ApiProperty() nextReviewDueOn!: string;
}
