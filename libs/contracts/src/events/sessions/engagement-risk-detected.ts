import { IsEnum, IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { IsIntBetween } from '../../validation/compose';
import { Describe } from '../../validation/describe';
import { IsCalendarDate } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { EngagementRiskReason } from '../../vocabularies/sessions';
import { defineEvent } from '../define-event';

export class EngagementRiskDetectedV1Payload {
  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  readonly episodeId!: string;

  @IsUUID()
  readonly siteId!: string;

  @IsEnum(EngagementRiskReason)
  readonly reason!: EngagementRiskReason;

  @IsIntBetween(1, 1000)
  @Describe('How many occurrences (absences, positive screens, short weeks) make up the risk.')
  readonly count!: number;

  @IsCalendarDate()
  @Describe('Date of the first occurrence counted, in the site time zone.')
  readonly since!: string;
}

export const EngagementRiskDetected = defineEvent({
  type: 'EngagementRiskDetected',
  version: 1,
  service: 'sessions',
  topic: Topics.SessionsEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: EngagementRiskDetectedV1Payload,
  summary: "A pattern in a client's facts suggests disengagement; the counselor should be alerted.",
});
