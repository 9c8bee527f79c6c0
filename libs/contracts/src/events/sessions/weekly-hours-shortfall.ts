import { IsEnum, IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { IsIntBetween } from '../../validation/compose';
import { Describe } from '../../validation/describe';
import { IsLessThanProperty, IsWeekStart } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { LevelOfCare } from '../../vocabularies/level-of-care';
import { Population } from '../../vocabularies/program';
import { defineEvent } from '../define-event';

export class WeeklyHoursShortfallV1Payload {
  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  readonly episodeId!: string;

  @IsUUID()
  readonly siteId!: string;

  @IsWeekStart()
  @Describe('The Monday starting the ISO week, in the site time zone.')
  readonly weekStart!: string;

  @IsIntBetween(0, 10080)
  @IsLessThanProperty('requiredMinutes')
  @Describe('Minutes attended in the week; less than requiredMinutes.')
  readonly attendedMinutes!: number;

  @IsIntBetween(1, 10080)
  readonly requiredMinutes!: number;

  @IsEnum(LevelOfCare)
  readonly levelOfCare!: LevelOfCare;

  @IsEnum(Population)
  readonly population!: Population;
}

export const WeeklyHoursShortfall = defineEvent({
  type: 'WeeklyHoursShortfall',
  version: 1,
  service: 'sessions',
  topic: Topics.SessionsEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: WeeklyHoursShortfallV1Payload,
  summary: "A week ended with the client's attended minutes below their level of care minimum.",
});
