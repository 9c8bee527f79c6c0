import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LevelOfCare } from '@stepwise/contracts';
import { PageQuery } from '@stepwise/security';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { INSTANT } from '../screenings/screening.dto';
import { OverrideReason } from './asam-rules';

export class AssessDto {
  @ApiProperty({
    type: [Number],
    description: 'ASAM dimensions 1 to 6 in order, each rated 0 (none) to 4 (severe)',
  })
  @IsArray()
  @ArrayMinSize(6)
  @ArrayMaxSize(6)
  @IsInt({ each: true })
  @Min(0, { each: true })
  @Max(4, { each: true })
  dimensionRatings!: number[];

  @ApiProperty({ description: 'When the assessment was made (ISO 8601 instant)' })
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'assessedAt must be an instant' })
  @Matches(INSTANT, { message: 'assessedAt must be an ISO 8601 instant with a time zone' })
  assessedAt!: string;

  @ApiPropertyOptional({ description: 'A stored rule set (`code@version`); default: the default rule set' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(/^[a-z0-9][a-z0-9.-]*@[1-9][0-9]{0,5}$/, { message: 'ruleSet must be code@version' })
  ruleSet?: string;

  @ApiPropertyOptional({ enum: LevelOfCare, description: "The clinician's placement, when it differs" })
  @IsOptional()
  @IsEnum(LevelOfCare)
  overrideLevel?: LevelOfCare;

  @ApiPropertyOptional({ enum: OverrideReason, description: 'Required with overrideLevel' })
  @IsOptional()
  @IsEnum(OverrideReason)
  overrideReason?: OverrideReason;
}

export class AssessmentListQuery extends PageQuery {}

export class AssessmentView {
  @ApiProperty() id!: string;
  @ApiProperty() clientId!: string;
  @ApiProperty({ nullable: true, type: String }) episodeId!: string | null;
  @ApiProperty({ enum: ['initial', 'reassessment'] }) kind!: 'initial' | 'reassessment';
  @ApiProperty({ type: [Number] }) dimensionRatings!: number[];
  @ApiProperty() ruleSetVersion!: string;
  @ApiProperty({ enum: LevelOfCare, description: 'What the rule set recommends' })
  computedLevel!: LevelOfCare;
  @ApiProperty({ enum: LevelOfCare, nullable: true }) overrideLevel!: LevelOfCare | null;
  @ApiProperty({ enum: OverrideReason, nullable: true }) overrideReason!: OverrideReason | null;
  @ApiProperty({ enum: LevelOfCare, description: 'The override when present, else the computed level' })
  recommendedLevel!: LevelOfCare;
  @ApiProperty() assessedBy!: string;
  @ApiProperty() assessedAt!: string;
}

export class AsamConditionDto {
  @ApiProperty({ minimum: 1, maximum: 6 }) @IsInt() @Min(1) @Max(6) dimension!: number;
  @ApiProperty({ minimum: 0, maximum: 4 }) @IsInt() @Min(0) @Max(4) atLeast!: number;
}

export class AsamRuleDto {
  @ApiProperty({ enum: LevelOfCare })
  @IsEnum(LevelOfCare)
  level!: LevelOfCare;

  @ApiPropertyOptional({ type: [AsamConditionDto], description: 'Matches when any holds (or when empty)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(24)
  @ValidateNested({ each: true })
  @Type(() => AsamConditionDto)
  any?: AsamConditionDto[];

  @ApiPropertyOptional({ type: [AsamConditionDto], description: 'Matches only when all hold' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(24)
  @ValidateNested({ each: true })
  @Type(() => AsamConditionDto)
  all?: AsamConditionDto[];
}

/** A provider's own (licensed or local) rule set; it gets the next version of its code. */
export class CreateRuleSetDto {
  @ApiProperty({ example: 'acme-local-asam' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9.-]{0,47}$/, {
    message: 'code must be lower-case letters, digits, dots and dashes',
  })
  code!: string;

  @ApiProperty({ maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  label!: string;

  @ApiProperty({ type: [AsamRuleDto], description: 'In order; the first matching rule wins' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => AsamRuleDto)
  rules!: AsamRuleDto[];

  @ApiProperty({ enum: LevelOfCare })
  @IsEnum(LevelOfCare)
  fallbackLevel!: LevelOfCare;

  @ApiProperty({ description: 'Make it the rule set assessments use when they name none' })
  @IsBoolean()
  makeDefault!: boolean;
}

export class RuleSetView {
  @ApiProperty() code!: string;
  @ApiProperty() version!: number;
  @ApiProperty() ruleSetVersion!: string;
  @ApiProperty() label!: string;
  @ApiProperty() illustrative!: boolean;
  @ApiProperty() isDefault!: boolean;
  @ApiProperty({ type: [AsamRuleDto] }) rules!: AsamRuleDto[];
  @ApiProperty({ enum: LevelOfCare }) fallbackLevel!: LevelOfCare;
}
