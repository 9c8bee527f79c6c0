import { IsEnum, IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { IsDimensionRatings } from '../../validation/compose';
import { Describe } from '../../validation/describe';
import { IsInstant, Optional } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { LevelOfCare } from '../../vocabularies/level-of-care';
import { defineEvent } from '../define-event';

export class AssessmentCompletedV1Payload {
  @IsUUID()
  readonly assessmentId!: string;

  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  readonly siteId!: string;

  @Optional()
  @IsUUID()
  @Describe('The episode of care; absent for the initial assessment made before admission.')
  readonly episodeId?: string;

  @IsDimensionRatings()
  @Describe('ASAM dimensions 1 to 6 in order, each rated 0 (no risk) to 4 (severe risk).')
  readonly dimensionRatings!: readonly number[];

  @IsEnum(LevelOfCare)
  readonly recommendedLevel!: LevelOfCare;

  @IsUUID()
  @Describe('Staff id of the clinician who made the assessment.')
  readonly assessedBy!: string;

  @IsInstant()
  readonly assessedAt!: string;
}

export const AssessmentCompleted = defineEvent({
  type: 'AssessmentCompleted',
  version: 1,
  service: 'intake',
  topic: Topics.IntakeEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: AssessmentCompletedV1Payload,
  summary: 'A multidimensional (ASAM) assessment or re-assessment was completed.',
});
