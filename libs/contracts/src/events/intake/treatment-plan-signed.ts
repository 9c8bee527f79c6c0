import { IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { IsIntBetween, IsUuidList } from '../../validation/compose';
import { Describe } from '../../validation/describe';
import { IsCalendarDate, IsInstant } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { defineEvent } from '../define-event';

export class TreatmentPlanSignedV1Payload {
  @IsUUID()
  readonly planId!: string;

  @IsUUID()
  readonly episodeId!: string;

  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  readonly siteId!: string;

  @IsIntBetween(1, 1000)
  @Describe('Plan version, starting at 1; each signed revision of the plan increments it.')
  readonly version!: number;

  @IsUuidList(1, 50)
  @Describe('The plan goals; notes refer to them (the "golden thread").')
  readonly goalIds!: readonly string[];

  @IsUUID()
  @Describe('Staff id of the clinician who signed with the client.')
  readonly signedBy!: string;

  @IsInstant()
  readonly signedAt!: string;

  @IsCalendarDate()
  @Describe('The date the plan is due for review, in the site time zone.')
  readonly reviewDueOn!: string;
}

export const TreatmentPlanSigned = defineEvent({
  type: 'TreatmentPlanSigned',
  version: 1,
  service: 'intake',
  topic: Topics.IntakeEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: TreatmentPlanSignedV1Payload,
  summary:
    'An individualized treatment plan (or a new version of it) was signed by the client and a clinician.',
});
