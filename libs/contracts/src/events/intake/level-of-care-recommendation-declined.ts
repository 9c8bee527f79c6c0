import { IsEnum, IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { Describe } from '../../validation/describe';
import { IsInstant } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { ReviewDeclineReason } from '../../vocabularies/intake';
import { RecommendationDirection } from '../../vocabularies/sessions';
import { defineEvent } from '../define-event';

export class LevelOfCareRecommendationDeclinedV1Payload {
  @IsUUID()
  @Describe('The StepDownRecommended/StepUpRecommended recommendation the clinician declined.')
  readonly recommendationId!: string;

  @IsUUID()
  readonly episodeId!: string;

  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  readonly siteId!: string;

  @IsEnum(RecommendationDirection)
  readonly direction!: RecommendationDirection;

  @IsEnum(ReviewDeclineReason)
  readonly reasonCode!: ReviewDeclineReason;

  @IsUUID()
  @Describe('Staff id of the clinician who declined; intake itself when the episode had ended.')
  readonly decidedBy!: string;

  @IsInstant()
  readonly decidedAt!: string;
}

export const LevelOfCareRecommendationDeclined = defineEvent({
  type: 'LevelOfCareRecommendationDeclined',
  version: 1,
  service: 'intake',
  topic: Topics.IntakeEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: LevelOfCareRecommendationDeclinedV1Payload,
  summary:
    'A clinician declined a recommended level change; the episode stays at its level and the progress rules wait for new evidence.',
});
