import { IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { IsIntBetween } from '../../validation/compose';
import { Describe } from '../../validation/describe';
import { IsAtMostProperty, IsInstant } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { defineEvent } from '../define-event';

export class TreatmentPlanReviewedV1Payload {
  @IsUUID()
  readonly planId!: string;

  @IsUUID()
  readonly episodeId!: string;

  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  readonly siteId!: string;

  @IsIntBetween(1, 1000)
  @Describe('The plan version that was reviewed.')
  readonly version!: number;

  @IsIntBetween(0, 50)
  @IsAtMostProperty('goalsTotal')
  @Describe('Goals met at this review; never more than goalsTotal.')
  readonly goalsMet!: number;

  @IsIntBetween(1, 50)
  readonly goalsTotal!: number;

  @IsInstant()
  readonly reviewedAt!: string;

  @IsUUID()
  @Describe('Staff id of the reviewing clinician.')
  readonly reviewedBy!: string;
}

export const TreatmentPlanReviewed = defineEvent({
  type: 'TreatmentPlanReviewed',
  version: 1,
  service: 'intake',
  topic: Topics.IntakeEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: TreatmentPlanReviewedV1Payload,
  summary: 'A periodic review of a treatment plan recorded how many goals are met.',
});
