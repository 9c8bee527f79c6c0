import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { IsIntBetween } from '../../validation/compose';
import { Describe } from '../../validation/describe';
import { IsCalendarDate, IsIcd10CmCode, IsInstant } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { defineEvent } from '../define-event';

export class EpisodeDiagnosesChangedV1Payload {
  @IsUUID()
  readonly episodeId!: string;

  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  readonly siteId!: string;

  @IsIntBetween(1, 10_000)
  @Describe("The revision of the episode's diagnosis list (1, 2, …): each change is kept, none overwritten.")
  readonly revision!: number;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @ArrayUnique()
  @IsIcd10CmCode({ each: true })
  @Describe('ICD-10-CM codes, primary first (a claim points to them in this order, A to L).')
  readonly diagnosisCodes!: string[];

  @IsCalendarDate()
  @Describe('The first day (site time zone) the list holds for; days before keep the previous revision.')
  readonly effectiveOn!: string;

  @IsUUID()
  @Describe('Staff id of the clinician who recorded the diagnoses.')
  readonly recordedBy!: string;

  @IsInstant()
  readonly recordedAt!: string;
}

export const EpisodeDiagnosesChanged = defineEvent({
  type: 'EpisodeDiagnosesChanged',
  version: 1,
  service: 'intake',
  topic: Topics.IntakeEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: EpisodeDiagnosesChangedV1Payload,
  summary:
    "An episode's diagnosis list (ICD-10-CM, primary first) was recorded or changed, as a new revision.",
});
