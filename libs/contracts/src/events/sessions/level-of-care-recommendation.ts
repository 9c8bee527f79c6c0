import { Type } from 'class-transformer';
import { IsEnum, IsNumber, IsObject, IsUUID, Max, Min, ValidateNested } from 'class-validator';
import { IsDimensionRatings, IsIntBetween } from '../../validation/compose';
import { Describe } from '../../validation/describe';
import { defineObjectRule, IsAtMostProperty, IsCode, IsInstant } from '../../validation/rules';
import { compareLevelsOfCare, LevelOfCare } from '../../vocabularies/level-of-care';

/**
 * The facts a step-down or step-up recommendation was made from, so a clinician reviewing it (and an auditor
 * later) sees why, without reading any other service's data.
 */
export class LevelOfCareEvidence {
  @IsIntBetween(0, 520)
  readonly weeksInProgram!: number;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  @Describe('Attended share of scheduled sessions over the evaluation window, 0 to 1.')
  readonly attendanceRate!: number;

  @IsIntBetween(0, 1000)
  readonly consecutiveNegativeScreens!: number;

  @IsIntBetween(0, 1000)
  @Describe('Positive drug screens in the evaluation window.')
  readonly recentPositiveScreens!: number;

  @IsIntBetween(0, 1000)
  @Describe('Unexcused absences in a row up to the evaluation.')
  readonly consecutiveAbsences!: number;

  @IsIntBetween(0, 50)
  @IsAtMostProperty('goalsTotal')
  readonly goalsMet!: number;

  @IsIntBetween(0, 50)
  readonly goalsTotal!: number;

  @IsUUID()
  readonly latestAssessmentId!: string;

  @IsDimensionRatings()
  @Describe('Dimension ratings of the latest assessment: ASAM dimensions 1 to 6 in order, each 0 to 4.')
  readonly dimensionRatings!: readonly number[];
}

const IsLowerLevelThanFrom = defineObjectRule({
  name: 'isLowerLevelThanFrom',
  test: (value, object) =>
    !Object.values(LevelOfCare).includes(value as LevelOfCare) ||
    !Object.values(LevelOfCare).includes(object['fromLevel'] as LevelOfCare) ||
    compareLevelsOfCare(value as LevelOfCare, object['fromLevel'] as LevelOfCare) < 0,
  message: (property) => `${property} must be a less intensive level than fromLevel`,
});

const IsHigherLevelThanFrom = defineObjectRule({
  name: 'isHigherLevelThanFrom',
  test: (value, object) =>
    !Object.values(LevelOfCare).includes(value as LevelOfCare) ||
    !Object.values(LevelOfCare).includes(object['fromLevel'] as LevelOfCare) ||
    compareLevelsOfCare(value as LevelOfCare, object['fromLevel'] as LevelOfCare) > 0,
  message: (property) => `${property} must be a more intensive level than fromLevel`,
});

/** Fields common to both recommendations; each subclass declares its own direction on toLevel. */
abstract class LevelOfCareRecommendation {
  @IsUUID()
  readonly recommendationId!: string;

  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  readonly episodeId!: string;

  @IsUUID()
  readonly siteId!: string;

  @IsEnum(LevelOfCare)
  readonly fromLevel!: LevelOfCare;

  abstract readonly toLevel: LevelOfCare;

  @IsObject()
  @ValidateNested()
  @Type(() => LevelOfCareEvidence)
  readonly evidence!: LevelOfCareEvidence;

  @IsCode()
  @Describe('Version of the progress rule set that produced the recommendation.')
  readonly ruleSetVersion!: string;

  @IsInstant()
  readonly recommendedAt!: string;
}

export class StepDownRecommendedV1Payload extends LevelOfCareRecommendation {
  @IsEnum(LevelOfCare)
  @IsLowerLevelThanFrom()
  @Describe('The recommended level; less intensive than fromLevel.')
  readonly toLevel!: LevelOfCare;
}

export class StepUpRecommendedV1Payload extends LevelOfCareRecommendation {
  @IsEnum(LevelOfCare)
  @IsHigherLevelThanFrom()
  @Describe('The recommended level; more intensive than fromLevel.')
  readonly toLevel!: LevelOfCare;
}
