import { IsEnum, IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { Describe } from '../../validation/describe';
import { IsAllowedOnlyWhen, IsDifferentFrom, IsInstant, Optional } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { LevelOfCareChangeKind, LevelOfCareChangeReason } from '../../vocabularies/intake';
import { LevelOfCare } from '../../vocabularies/level-of-care';
import { defineEvent } from '../define-event';

export class LevelOfCareChangedV1Payload {
  @IsUUID()
  readonly episodeId!: string;

  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  readonly siteId!: string;

  @IsEnum(LevelOfCareChangeKind)
  @Describe('Which of the two levels changed: the clinical one or the payer-authorized one.')
  readonly kind!: LevelOfCareChangeKind;

  @IsEnum(LevelOfCare)
  readonly fromLevel!: LevelOfCare;

  @IsEnum(LevelOfCare)
  @IsDifferentFrom('fromLevel')
  @Describe('The new level; differs from fromLevel.')
  readonly toLevel!: LevelOfCare;

  @Optional()
  @IsUUID()
  @IsAllowedOnlyWhen('kind', LevelOfCareChangeKind.Clinical)
  @Describe('Clinical changes only: when present, scheduling moves the client to this track.')
  readonly newProgramTrackId?: string;

  @Optional()
  @IsUUID()
  @Describe('The StepDownRecommended/StepUpRecommended recommendation this change approves, if any.')
  readonly recommendationId?: string;

  @IsInstant()
  readonly effectiveAt!: string;

  @IsEnum(LevelOfCareChangeReason)
  readonly reasonCode!: LevelOfCareChangeReason;

  @IsUUID()
  @Describe('Staff id of the clinician (or utilization reviewer) who decided the change.')
  readonly decidedBy!: string;
}

export const LevelOfCareChanged = defineEvent({
  type: 'LevelOfCareChanged',
  version: 1,
  service: 'intake',
  topic: Topics.IntakeEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: LevelOfCareChangedV1Payload,
  summary: "The clinical or the authorized level of care of a client's episode changed.",
});
