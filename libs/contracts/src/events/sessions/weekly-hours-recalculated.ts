import { IsBoolean, IsEnum, IsUUID } from 'class-validator';
import { Topics } from '../../topics/topics';
import { IsIntBetween } from '../../validation/compose';
import { Describe } from '../../validation/describe';
import { IsWeekStart } from '../../validation/rules';
import { Confidentiality } from '../../vocabularies/confidentiality';
import { LevelOfCare } from '../../vocabularies/level-of-care';
import { Population } from '../../vocabularies/program';
import { defineEvent } from '../define-event';

export class WeeklyHoursRecalculatedV1Payload {
  @IsUUID()
  readonly clientId!: string;

  @IsUUID()
  readonly episodeId!: string;

  @IsUUID()
  readonly siteId!: string;

  @IsWeekStart()
  @Describe('The Monday starting the closed ISO week, in the site time zone.')
  readonly weekStart!: string;

  @IsIntBetween(0, 10080)
  @Describe('Minutes attended as the week stood before the late documentation.')
  readonly attendedMinutesBefore!: number;

  @IsIntBetween(0, 10080)
  @Describe('Minutes attended with the late documentation.')
  readonly attendedMinutes!: number;

  @IsIntBetween(0, 10080)
  @Describe('The minimum the week was judged against when it closed (0: its level sets none); unchanged.')
  readonly requiredMinutes!: number;

  @IsBoolean()
  @Describe('Whether the week was short before the correction.')
  readonly shortBefore!: boolean;

  @IsBoolean()
  @Describe('Whether the week is short now: false after true means the WeeklyHoursShortfall no longer holds.')
  readonly short!: boolean;

  @IsEnum(LevelOfCare)
  readonly levelOfCare!: LevelOfCare;

  @IsEnum(Population)
  readonly population!: Population;
}

export const WeeklyHoursRecalculated = defineEvent({
  type: 'WeeklyHoursRecalculated',
  version: 1,
  service: 'sessions',
  topic: Topics.SessionsEvents,
  key: 'clientId',
  confidentiality: Confidentiality.Part2,
  payload: WeeklyHoursRecalculatedV1Payload,
  summary:
    'Attendance documented after a week closed changed its attended minutes; says whether its shortfall still holds.',
});
